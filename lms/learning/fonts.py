"""The Korean TrueType font of every PDF the product writes: certificates, handouts and
the certificates inside evidence packs."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "SLAKorean"
SOURCE_SETTING = "setting"
SOURCE_SYSTEM = "system"
SOURCE_BUNDLED = "bundled"
# The wheel (koreanize-matplotlib) that carries NanumGothic for machines without
# fonts-nanum; only its font files are read, the package itself is never imported.
BUNDLED_PACKAGE = "koreanize_matplotlib"
BUNDLED_FILE = "fonts/NanumGothic.ttf"


class KoreanFontMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class KoreanFont:
    path: Path
    source: str


def _bundled_font() -> Path | None:
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / BUNDLED_FILE
    return path if path.is_file() else None


def korean_font() -> KoreanFont:
    """`LEARNING_CERTIFICATE_FONT` when set, else the system's Nanum font, else the bundled one."""
    configured = settings.LEARNING_CERTIFICATE_FONT
    if configured:
        if Path(configured).is_file():
            return KoreanFont(Path(configured), SOURCE_SETTING)
        raise KoreanFontMissing(
            f"LEARNING_CERTIFICATE_FONT에 지정한 글꼴 파일이 없습니다: {configured}"
        )
    for candidate in settings.LEARNING_SYSTEM_FONTS:
        if Path(candidate).is_file():
            return KoreanFont(Path(candidate), SOURCE_SYSTEM)
    bundled = _bundled_font()
    if bundled:
        return KoreanFont(bundled, SOURCE_BUNDLED)
    raise KoreanFontMissing(
        "PDF에 쓸 한글 글꼴이 없습니다. `make install`로 가상환경을 다시 만들거나 "
        "fonts-nanum 패키지를 설치하거나, LEARNING_CERTIFICATE_FONT 환경 변수에 한글 TTF "
        f"글꼴 경로를 지정해 주세요. 찾아본 경로: {settings.LEARNING_SYSTEM_FONTS}"
    )


def korean_font_path() -> Path:
    return korean_font().path


def register_korean_font() -> str:
    """Register the font with reportlab once per process; the name to `setFont` with."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(korean_font_path())))
    return FONT_NAME
