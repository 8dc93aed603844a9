"""Demo courses for `seed_demo`: one course a newcomer can finish in minutes (three short
lessons made by ffmpeg with Korean title cards and captions, a test and a survey) and a few
more in the catalog. Idempotent: nothing is made twice."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from cms.courses import (
    Category,
    CourseIndexPage,
    CoursePage,
    CourseQuestion,
    LessonPage,
)
from cms.models import HomePage
from lms.learning.fonts import korean_font_path, register_korean_font
from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.models import VideoAsset
from media_pipeline.services import asset_import_file, caption_add

DEMO_COURSE_SLUG = "working-hours-basics"

LESSONS = [
    (
        "1차시 · 근로시간이란",
        "근로시간은 사용자의 지휘·감독 아래 일하는 시간입니다.",
        "대기시간도 사용자의 지휘·감독 아래 있으면 근로시간입니다.",
    ),
    (
        "2차시 · 연장·야간·휴일근로",
        "1주 40시간, 1일 8시간을 넘는 근로는 연장근로입니다.",
        "연장·야간·휴일근로에는 통상임금의 50% 이상을 더 받습니다.",
    ),
    (
        "3차시 · 휴게와 근로시간단축",
        "4시간 일하면 30분, 8시간 일하면 1시간 이상 쉬어야 합니다.",
        "1주 최대 52시간: 근로시간단축 제도를 알아봅니다.",
    ),
]

QUESTIONS = [
    ("true-false", "휴게시간은 근로자가 자유롭게 쓸 수 있어야 한다.", "", 1),
    ("true-false", "사용자의 지시로 대기하는 시간은 근로시간이 아니다.", "", 2),
    (
        "choice",
        "법정 근로시간은 1주 몇 시간인가요?",
        "35시간\n40시간\n48시간\n52시간",
        2,
    ),
    (
        "choice",
        "8시간 일할 때 주어야 하는 휴게시간은?",
        "15분 이상\n30분 이상\n1시간 이상\n2시간 이상",
        3,
    ),
    ("true-false", "연장근로에는 통상임금의 50% 이상을 가산해 지급한다.", "", 1),
    (
        "choice",
        "연장근로를 포함한 1주 최대 근로시간은?",
        "40시간\n48시간\n52시간\n68시간",
        3,
    ),
]

CATALOG = [
    (
        "근로시간단축 제도 이해",
        Category.LABOR_LAW,
        "citizen",
        "주 52시간 상한과 유연근무",
    ),
    ("임금의 기초", Category.LABOR_LAW, "citizen", "최저임금, 통상임금, 임금명세서"),
    ("직장 내 괴롭힘 예방", Category.STATUTORY, "workplace", "법정의무교육 · 1시간"),
    ("직장 내 성희롱 예방", Category.STATUTORY, "workplace", "법정의무교육 · 연 1회"),
    ("노동인권과 인문학", Category.HUMAN_RIGHTS, "citizen", "일과 존엄에 대한 생각"),
    (
        "작은 사업장 사업주를 위한 인사노무",
        Category.EMPLOYER,
        "employer",
        "근로계약서부터 해고까지",
    ),
    (
        "청소년 아르바이트 권리 수첩",
        Category.YOUTH,
        "youth",
        "처음 일하는 청소년을 위해",
    ),
    ("노동상담 실무 역량강화", Category.COUNSELOR, "counselor", "상담자 보수교육"),
]


def _make_clip(*, folder: Path, index: int, title: str, seconds: int) -> Path:
    """A short lecture clip: a Korean title card over a colour field, with a tone."""
    text_file = folder / f"title-{index}.txt"
    text_file.write_text(title, encoding="utf-8")
    font = str(korean_font_path()).replace(":", r"\:")
    output = folder / f"lesson-{index}.mp4"
    colours = ["0x0b5cab", "0x1b6e35", "0x8a5a00"]
    subprocess.run(
        [
            ffmpeg_binary(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c={colours[index % 3]}:size=854x480:rate=25:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={330 + 110 * index}:duration={seconds}",
            "-vf",
            (
                f"drawtext=fontfile='{font}':textfile='{text_file}':fontcolor=white:"
                "fontsize=40:x=(w-text_w)/2:y=(h-text_h)/2-30,"
                f"drawtext=fontfile='{font}':text='%{{pts\\:hms}}':fontcolor=white:"
                "fontsize=26:x=(w-text_w)/2:y=h-80"
            ),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(output),
        ],
        check=True,
        timeout=300,
    )
    return output


def _captions(lines: tuple[str, str], seconds: int) -> str:
    half = seconds / 2

    def stamp(value: float) -> str:
        minutes, secs = divmod(value, 60)
        return f"{int(minutes):02d}:{secs:06.3f}"

    return (
        "WEBVTT\n\n"
        f"{stamp(0)} --> {stamp(half)}\n{lines[0]}\n\n"
        f"{stamp(half)} --> {stamp(seconds)}\n{lines[1]}\n"
    )


def _import(*, clip: Path, title: str, captions_vtt: str, seconds: int) -> VideoAsset:
    asset = asset_import_file(path=clip, title=title)
    vtt = clip.with_suffix(".vtt")
    vtt.write_text(captions_vtt, encoding="utf-8")
    with vtt.open("rb") as handle:
        caption_add(asset=asset, language="ko", label="한국어", file=File(handle))
    return asset


def _handout() -> Document:
    """A one-page handout (교안) in Korean, as a Wagtail document."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    FONT_NAME = register_korean_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(FONT_NAME, 20)
    pdf.drawString(60, 780, "근로시간 제도 기초 · 교안")
    pdf.setFont(FONT_NAME, 12)
    y = 740
    for _title, *lines in LESSONS:
        for line in lines:
            pdf.drawString(60, y, f"· {line}")
            y -= 22
    pdf.showPage()
    pdf.save()
    document = Document(title="근로시간 제도 기초 교안")
    document.file.save(
        "working-hours-handout.pdf", ContentFile(buffer.getvalue()), save=False
    )
    document.save()
    return document


def _catalog_page() -> CourseIndexPage | None:
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    if home is None:
        return None
    catalog = CourseIndexPage(
        title="온라인 강의",
        slug="courses",
        show_in_menus=True,
        intro="<p>노동법과 노동인권을 언제 어디서나 배우세요. 진도와 평가를 마치면 수료증을 드립니다.</p>",
    )
    home.add_child(instance=catalog)
    catalog.save_revision().publish()
    return catalog


def seed_learning_demo() -> bool:
    """Create the demo courses once; returns whether anything was made."""
    catalog = _catalog_page()
    if catalog is None or CoursePage.objects.filter(slug=DEMO_COURSE_SLUG).exists():
        return False
    seconds = settings.LEARNING_DEMO_CLIP_SECONDS
    course = CoursePage(
        title="근로시간 제도 기초",
        slug=DEMO_COURSE_SLUG,
        category=Category.LABOR_LAW,
        audience="citizen",
        summary="세 차시(각 1분)로 근로시간·휴게·연장근로의 기본을 익히는 입문 과정",
        keywords="근로시간 연장근로 휴게 주52시간",
        trainer_name="박노무 공인노무사",
        description="<p>짧은 영상 세 편을 보고 평가와 만족도 조사를 마치면 바로 수료증이 발급됩니다.</p>",
        test_question_count=4,
        survey_required=True,
        handouts=[("document", {"title": "교안 (PDF)", "document": _handout()})],
    )
    catalog.add_child(instance=course)
    for sort_order, (kind, text, choices, answer) in enumerate(QUESTIONS):
        CourseQuestion.objects.create(
            course=course,
            sort_order=sort_order,
            kind=kind,
            text=text,
            choices=choices,
            answer=answer,
        )
    course.save_revision().publish()
    first_asset = None
    with tempfile.TemporaryDirectory() as tmp:
        for index, (title, *lines) in enumerate(LESSONS):
            clip = _make_clip(
                folder=Path(tmp), index=index, title=title, seconds=seconds
            )
            asset = _import(
                clip=clip,
                title=title,
                captions_vtt=_captions(tuple(lines), seconds),
                seconds=seconds,
            )
            first_asset = first_asset or asset
            lesson = LessonPage(
                title=title,
                slug=f"lesson-{index + 1}",
                video=asset,
                summary=lines[0],
                transcript="".join(f"<p>{line}</p>" for line in lines),
            )
            course.add_child(instance=lesson)
    for number, (title, category, audience, summary) in enumerate(CATALOG, start=1):
        other = CoursePage(
            title=title,
            slug=f"demo-course-{number}",
            category=category,
            audience=audience,
            summary=summary,
            keywords=title,
            survey_required=False,
        )
        catalog.add_child(instance=other)
        other.add_child(
            instance=LessonPage(
                title="1차시 · 맛보기",
                slug="lesson-1",
                video=first_asset,
                summary=summary,
            )
        )
    return True
