"""Masking of personal data in lists and exports: 김*용, 010-****-1234, k***@example.com."""

from __future__ import annotations

import re


def mask_name(name: str) -> str:
    """Keep the first and last character: 김민용 → 김*용, 김민 → 김*, 남궁민수 → 남**수."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """Hide the middle digits: 010-1234-5678 → 010-****-5678 (any separators)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("82") and len(digits) >= 11:  # +82 10 … → 010 …
        digits = "0" + digits[2:]
    if len(digits) < 7:
        return "*" * len(digits)
    head = digits[:2] if digits.startswith("02") else digits[:3]
    tail = digits[-4:]
    return f"{head}-****-{tail}"


def mask_email(email: str) -> str:
    """Keep the first character of the local part: kim@example.com → k***@example.com."""
    email = (email or "").strip()
    if "@" not in email:
        return mask_name(email)
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"
