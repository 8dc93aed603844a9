"""Courses, lessons and videos for learning tests: pages in the real Wagtail tree."""

from __future__ import annotations

import itertools

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.courses import (
    Category,
    CourseIndexPage,
    CoursePage,
    CourseQuestion,
    LessonPage,
)
from cms.models import HomePage
from media_pipeline.models import VideoAsset, VideoCaption

_counter = itertools.count(1)


def home_page() -> HomePage:
    """The site's home page; transactional tests start from an emptied database."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = HomePage(
        title="서울노동아카데미", slug="home", hero_title="서울노동아카데미"
    )
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


def catalog() -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing:
        return existing
    home = home_page()
    page = CourseIndexPage(title="온라인 강의", slug="courses", show_in_menus=True)
    home.add_child(instance=page)
    return page


def video_asset(*, duration: float = 100.0, captions: bool = True, **kw) -> VideoAsset:
    """A ready asset with a known duration; no transcoding needed for progress rules.

    The output paths look like the pipeline's; no file is behind them.
    """
    n = next(_counter)
    prefix = kw.pop("output_prefix", f"videos/hls/factory-{n}/run")
    asset = VideoAsset.objects.create(
        title=kw.pop("title", f"영상 {n}"),
        state=VideoAsset.State.READY,
        duration=duration,
        output_prefix=prefix,
        master_playlist=kw.pop("master_playlist", f"{prefix}/master.m3u8"),
        **kw,
    )
    if captions:
        VideoCaption.objects.create(asset=asset, vtt_path=f"captions/{asset.pk}.vtt")
    return asset


def course_page(
    *, lessons: int = 3, duration: float = 100.0, questions: int = 0, **fields
) -> CoursePage:
    n = next(_counter)
    defaults = {
        "title": f"테스트 강의 {n}",
        "slug": f"course-{n}",
        "category": Category.LABOR_LAW,
        "audience": "citizen",
        "summary": "시험용 강의",
        "survey_required": False,
    }
    defaults.update(fields)
    course = CoursePage(**defaults)
    catalog().add_child(instance=course)
    for i in range(lessons):
        lesson_page(course=course, duration=duration, title=f"{i + 1}차시")
    for i in range(questions):
        CourseQuestion.objects.create(
            course=course,
            sort_order=i,
            kind=CourseQuestion.Kind.TRUE_FALSE,
            text=f"문항 {i + 1}: 맞으면 O",
            answer=1,
        )
    return course


def lesson_page(
    *, course: CoursePage, duration: float = 100.0, title: str = "차시", **fields
) -> LessonPage:
    n = next(_counter)
    lesson = LessonPage(
        title=title, slug=f"lesson-{n}", video=video_asset(duration=duration), **fields
    )
    course.add_child(instance=lesson)
    return lesson
