"""Online courses as Wagtail pages: the catalog, a course with its rules and question bank, lessons.

Learner state (enrollment, progress, certificates) lives in lms.learning; templates reach it
through the `learning_tags` template tags, so nothing here imports lms.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index


class Category(models.TextChoices):
    LABOR_LAW = "labor-law", _("노동법")
    HUMAN_RIGHTS = "human-rights", _("노동인권·인문학")
    STATUTORY = "statutory", _("법정의무교육")
    EMPLOYER = "employer", _("사업주 교육")
    YOUTH = "youth", _("청소년 노동인권")
    COUNSELOR = "counselor", _("상담자 역량강화")


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("시민·노동자")
    EMPLOYER = "employer", _("사업주·인사담당자")
    YOUTH = "youth", _("청소년")
    COUNSELOR = "counselor", _("상담자")
    WORKPLACE = "workplace", _("사업장 임직원")


def _materials_field(verbose_name):
    return StreamField(
        [
            (
                "document",
                blocks.StructBlock(
                    [
                        (
                            "title",
                            blocks.CharBlock(label=_("표시 이름"), required=False),
                        ),
                        ("document", DocumentChooserBlock(label=_("문서"))),
                    ],
                    label=_("내려받기 자료"),
                    icon="doc-full",
                ),
            )
        ],
        blank=True,
        use_json_field=True,
        verbose_name=verbose_name,
    )


class CourseIndexPage(Page):
    """The course catalog (강의 목록): filters by category and audience, Korean search."""

    intro = RichTextField(_("소개"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("강의 목록")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category", "")
        audience = request.GET.get("audience", "")
        query = request.GET.get("q", "").strip()[:100]
        courses = catalog_courses(
            parent=self, category=category, audience=audience, query=query
        )
        page_obj = Paginator(courses, 20).get_page(request.GET.get("page"))
        context.update(
            courses=page_obj,
            categories=Category.choices,
            audiences=Audience.choices,
            selected_category=category,
            selected_audience=audience,
            query=query,
        )
        return context


def catalog_courses(
    *,
    parent: Page | None = None,
    category: str = "",
    audience: str = "",
    query: str = "",
) -> models.QuerySet:
    """Live courses matching the filters. Every word of `query` must occur somewhere in
    the title, summary, trainer or keywords, as a substring: Korean compounds such as
    "근로시간단축" are found by "근로시간" or "시간단축", which word-based full-text
    search would miss."""
    courses = CoursePage.objects.live().public()
    if parent is not None:
        courses = courses.child_of(parent)
    if category:
        courses = courses.filter(category=category)
    if audience:
        courses = courses.filter(audience=audience)
    for word in query.split()[:5]:
        courses = courses.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(keywords__icontains=word)
            | Q(trainer_name__icontains=word)
        )
    return courses.order_by("-first_published_at", "pk")


class CoursePage(Page):
    """One online course: what it teaches, its lessons (child pages) and its completion rules."""

    category = models.CharField(
        _("분야"), max_length=20, choices=Category.choices, db_index=True
    )
    audience = models.CharField(
        _("대상"), max_length=20, choices=Audience.choices, db_index=True
    )
    summary = models.CharField(_("한 줄 소개"), max_length=250)
    keywords = models.CharField(
        _("검색어"), max_length=250, blank=True, help_text=_("띄어쓰기로 구분")
    )
    description = RichTextField(_("강의 소개"), blank=True)
    trainer_name = models.CharField(_("강사·저자"), max_length=100, blank=True)
    textbook = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("교재"),
    )
    handouts = _materials_field(_("교안·참고 자료"))

    # Completion rules (README, "Online learning"); defaults are the product's.
    lesson_coverage_percent = models.PositiveSmallIntegerField(
        _("차시 이수: 시청 범위(%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    lesson_time_percent = models.PositiveSmallIntegerField(
        _("차시 이수: 학습 시간(%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    daily_lesson_cap = models.PositiveSmallIntegerField(
        _("하루 최대 이수 차시"),
        null=True,
        blank=True,
        help_text=_("비워 두면 제한 없음 (원격훈련 기준 8)"),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("평가 합격 점수"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    test_question_count = models.PositiveSmallIntegerField(
        _("평가 문항 수"), default=5, help_text=_("문제 은행에서 무작위로 출제")
    )
    test_attempts_limit = models.PositiveSmallIntegerField(
        _("평가 응시 횟수 제한"), default=3, validators=[MinValueValidator(1)]
    )
    survey_required = models.BooleanField(_("수료 전 만족도 조사 필수"), default=True)
    captions_required = models.BooleanField(
        _("자막 필수"),
        default=True,
        help_text=_("자막 없는 영상의 차시는 게시할 수 없습니다."),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("keywords"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("category"),
        index.FilterField("audience"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("category"),
        FieldPanel("audience"),
        FieldPanel("keywords"),
        FieldPanel("trainer_name"),
        FieldPanel("description"),
        FieldPanel("textbook"),
        FieldPanel("handouts"),
    ]
    rules_panels = [
        MultiFieldPanel(
            [
                FieldPanel("lesson_coverage_percent"),
                FieldPanel("lesson_time_percent"),
                FieldPanel("daily_lesson_cap"),
                FieldPanel("survey_required"),
                FieldPanel("captions_required"),
            ],
            heading=_("이수 기준"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("test_question_count"),
                FieldPanel("test_attempts_limit"),
            ],
            heading=_("평가"),
        ),
        InlinePanel("questions", heading=_("문제 은행"), label=_("문항")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("내용")),
            ObjectList(rules_panels, heading=_("이수 기준·평가")),
            ObjectList(Page.promote_panels, heading=_("홍보")),
            ObjectList(Page.settings_panels, heading=_("설정")),
        ]
    )

    parent_page_types = ["cms.CourseIndexPage"]
    subpage_types = ["cms.LessonPage"]

    class Meta:
        verbose_name = _("강의")
        verbose_name_plural = _("강의")

    @property
    def has_test(self) -> bool:
        return self.questions.exists()


class CourseQuestion(Orderable):
    """A question of the course's bank (문제 은행); a test draws from these."""

    class Kind(models.TextChoices):
        CHOICE = "choice", _("객관식")
        TRUE_FALSE = "true-false", _("O/X")

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        _("유형"), max_length=12, choices=Kind.choices, default=Kind.CHOICE
    )
    text = models.TextField(_("문제"))
    choices = models.TextField(
        _("보기"), blank=True, help_text=_("한 줄에 하나씩 (O/X 문항은 비워 두세요)")
    )
    answer = models.PositiveSmallIntegerField(
        _("정답 번호"), help_text=_("보기의 순서 (1부터). O/X는 1=O, 2=X")
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("choices"),
        FieldPanel("answer"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("문항")
        verbose_name_plural = _("문항")

    def choice_list(self) -> list[str]:
        if self.kind == self.Kind.TRUE_FALSE:
            return ["O", "X"]
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if not 1 <= self.answer <= max(len(self.choice_list()), 1):
            raise ValidationError({"answer": _("정답 번호가 보기에 없습니다.")})


class LessonPage(Page):
    """One lesson (차시) of a course: a video with captions, its transcript and materials."""

    video = models.ForeignKey(
        "media_pipeline.VideoAsset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("영상"),
    )
    required = models.BooleanField(_("수료에 필요한 차시"), default=True)
    summary = models.TextField(_("차시 소개"), blank=True)
    transcript = RichTextField(_("대본(스크립트)"), blank=True)
    materials = _materials_field(_("자료"))

    content_panels = Page.content_panels + [
        FieldPanel("video"),  # the pipeline registers its chooser as this widget
        FieldPanel("required"),
        FieldPanel("summary"),
        FieldPanel("transcript"),
        FieldPanel("materials"),
    ]
    search_fields = Page.search_fields + [index.SearchField("transcript")]
    parent_page_types = ["cms.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("차시")
        verbose_name_plural = _("차시")

    @property
    def duration(self) -> float:
        return float(self.video.duration or 0) if self.video_id else 0.0

    def save(self, *args, **kwargs):
        # Publishing (from the admin, a schedule or code) saves the page live with all
        # fields; draft revisions of a live page save only a few fields and pass.
        if self.live and kwargs.get("update_fields") is None:
            problem = lesson_publish_problem(self)
            if problem:
                raise ValidationError(problem)
        return super().save(*args, **kwargs)


def lesson_publish_problem(lesson: LessonPage) -> str | None:
    """Why a lesson may not be published, or None. A course that requires captions
    (the default) refuses a lesson whose video has no caption track."""
    parent = lesson.get_parent()
    course = parent.specific if parent else None
    if not isinstance(course, CoursePage) or not course.captions_required:
        return None
    if lesson.video_id and not lesson.video.captions.exists():
        return str(
            _(
                "이 강의는 자막이 필수입니다. 영상 「%(video)s」에 자막을 먼저 추가해 주세요."
            )
            % {"video": lesson.video.title}
        )
    return None
