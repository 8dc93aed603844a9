"""Which Korean font the PDFs use: the setting, else the system's Nanum, else the wheel's."""

from __future__ import annotations

import io
import os
import shutil

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from lms.learning.fonts import (
    SOURCE_BUNDLED,
    SOURCE_SETTING,
    SOURCE_SYSTEM,
    KoreanFontMissing,
    _bundled_font,
    korean_font,
)
from tests.conftest import EXPECT_BUNDLED_TOOLS


def _pdf_text_with(font_path) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"Probe{abs(hash(str(font_path)))}"
    pdfmetrics.registerFont(TTFont(name, str(font_path)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(name, 14)
    pdf.drawString(72, 720, "수료증 서울노동아카데미")
    pdf.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()


def test_without_a_system_font_the_bundled_nanum_gothic_writes_korean(settings):
    settings.LEARNING_CERTIFICATE_FONT = ""
    settings.LEARNING_SYSTEM_FONTS = ["/nowhere/NanumGothic.ttf"]

    font = korean_font()

    assert font.source == SOURCE_BUNDLED
    assert font.path.name == "NanumGothic.ttf"
    assert "수료증 서울노동아카데미" in _pdf_text_with(font.path)


def test_a_system_font_is_preferred_to_the_bundled_one(settings, tmp_path):
    system_copy = tmp_path / "usr-share-fonts" / "NanumGothic.ttf"
    system_copy.parent.mkdir()
    shutil.copyfile(_bundled_font(), system_copy)
    settings.LEARNING_CERTIFICATE_FONT = ""
    settings.LEARNING_SYSTEM_FONTS = ["/nowhere/a.ttf", str(system_copy)]

    font = korean_font()

    assert (font.source, font.path) == (SOURCE_SYSTEM, system_copy)


def test_the_setting_overrides_both_and_a_wrong_path_is_a_clear_error(
    settings, tmp_path
):
    chosen = tmp_path / "house-font.ttf"
    shutil.copyfile(_bundled_font(), chosen)
    settings.LEARNING_CERTIFICATE_FONT = str(chosen)

    assert korean_font().source == SOURCE_SETTING
    assert korean_font().path == chosen

    settings.LEARNING_CERTIFICATE_FONT = str(tmp_path / "missing.ttf")
    with pytest.raises(KoreanFontMissing, match="missing.ttf"):
        korean_font()


@pytest.mark.skipif(not EXPECT_BUNDLED_TOOLS, reason="only in .ci/run's bare step")
def test_the_bare_machine_has_no_system_nanum_and_uses_the_bundled_one(settings):
    # .ci/run's first step hides the system fonts with an empty tmpfs: prove it did.
    assert not any(os.path.exists(path) for path in settings.LEARNING_SYSTEM_FONTS)
    assert korean_font().source == SOURCE_BUNDLED
