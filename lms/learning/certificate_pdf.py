"""The certificate of completion (수료증) as a PDF in Korean, with a QR code to its verification page."""

from __future__ import annotations

import io

import qrcode
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from lms.learning.fonts import FONT_NAME, register_korean_font
from lms.learning.models import Certificate


def _qr_image(url: str) -> ImageReader:
    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    """A4 portrait: title, number, name, course, date, issuer, and the QR code."""
    register_korean_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"수료증 {certificate.number}")
    pdf.setAuthor("서울노동아카데미")
    width, height = A4
    pdf.setLineWidth(2)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    pdf.setFont(FONT_NAME, 11)
    pdf.drawString(25 * mm, height - 30 * mm, f"제 {certificate.number} 호")
    pdf.setFont(FONT_NAME, 36)
    pdf.drawCentredString(width / 2, height - 70 * mm, "수 료 증")

    issued = timezone.localtime(certificate.issued_at)
    rows = [
        ("성    명", certificate.learner_name),
        ("과 정 명", certificate.course_title),
        ("수 료 일", f"{issued:%Y년 %m월 %d일}"),
    ]
    pdf.setFont(FONT_NAME, 15)
    y = height - 110 * mm
    for label, value in rows:
        pdf.drawString(35 * mm, y, label)
        # Long course titles wrap within the frame instead of running off the page.
        lines = simpleSplit(f":  {value}", FONT_NAME, 15, width - 100 * mm)
        for line in lines:
            pdf.drawString(70 * mm, y, line)
            y -= 8 * mm
        y -= 6 * mm

    pdf.setFont(FONT_NAME, 14)
    text = pdf.beginText(35 * mm, y - 10 * mm)
    text.setLeading(22)
    text.textLine("위 사람은 서울노동아카데미 온라인 과정의 학습 진도, 평가와")
    text.textLine("만족도 조사를 모두 마치고 과정을 수료하였기에 이 증서를 드립니다.")
    pdf.drawText(text)

    pdf.setFont(FONT_NAME, 14)
    pdf.drawCentredString(width / 2, 75 * mm, f"{issued:%Y년 %m월 %d일}")
    pdf.setFont(FONT_NAME, 20)
    pdf.drawCentredString(width / 2, 60 * mm, "서울노동권익센터 · 서울노동아카데미")

    pdf.drawImage(_qr_image(verify_url), width - 55 * mm, 22 * mm, 30 * mm, 30 * mm)
    pdf.setFont(FONT_NAME, 8)
    pdf.drawString(25 * mm, 25 * mm, f"진위 확인: {verify_url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """The QR code as inline SVG markup, for the verification page and the dashboard."""
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
