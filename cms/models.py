"""Pages of the public site. The home page carries the Academy's identity."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.time import SEOUL

# The hook through which the home page gets the Academy's figures of the year. cms sits
# below lms and imports nothing from it: the reports app registers a function
# `(year: int) -> list[{"label", "value", "unit"}]` under this name (lms/reports/wagtail_hooks.py).
YEAR_FIGURES_HOOK = "home_year_figures"
HOME_NOTICES = 3


class LinkCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("제목"), max_length=60)
    text = blocks.TextBlock(label=_("설명"), max_length=200)
    page = blocks.PageChooserBlock(label=_("연결 페이지"), required=False)
    url = blocks.CharBlock(
        label=_("연결 주소"),
        required=False,
        help_text=_("페이지 대신 주소로 연결할 때"),
    )

    class Meta:
        icon = "link"
        label = _("바로가기 카드")
        template = "cms/blocks/link_card.html"


class HomePage(Page):
    """The site root: who the Academy is and where to start."""

    hero_title = models.CharField(_("대표 문구"), max_length=120)
    hero_text = models.TextField(_("소개 문구"), blank=True)
    intro = RichTextField(
        _("소개"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    body = StreamField(
        [
            (
                "heading",
                blocks.CharBlock(
                    label=_("소제목"),
                    form_classname="title",
                    template="cms/blocks/heading.html",
                ),
            ),
            ("paragraph", blocks.RichTextBlock(label=_("본문"))),
            (
                "cards",
                blocks.ListBlock(
                    LinkCardBlock(),
                    label=_("바로가기 카드 묶음"),
                    template="cms/blocks/cards.html",
                ),
            ),
        ],
        blank=True,
        use_json_field=True,
        verbose_name=_("본문"),
    )

    featured_courses = StreamField(
        [
            (
                "course",
                blocks.PageChooserBlock(label=_("강의"), page_type="cms.CoursePage"),
            )
        ],
        blank=True,
        max_num=6,
        use_json_field=True,
        verbose_name=_("추천 강의"),
        help_text=_("첫 화면에 보일 강의를 순서대로 고르세요(최대 6개)."),
    )
    outreach_title = models.CharField(
        _("찾아가는 교육 안내 제목"), max_length=60, default="찾아가는 노동교육"
    )
    outreach_text = models.TextField(
        _("찾아가는 교육 안내 문구"),
        max_length=300,
        default="10명 이상 모인 사업장·기관·단체라면, 원하는 날짜와 장소로 노동법 강사가 찾아갑니다.",
    )
    show_year_figures = models.BooleanField(
        _("올해의 실적 보이기"),
        default=True,
        help_text=_("교육 실적 보고서와 같은 집계로 올해의 숫자를 보여 줍니다."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("featured_courses"),
        MultiFieldPanel(
            [FieldPanel("outreach_title"), FieldPanel("outreach_text")],
            heading=_("찾아가는 노동교육 안내"),
        ),
        FieldPanel("show_year_figures"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("홈페이지")

    def featured(self) -> list:
        """The chosen courses that are live, in the editor's order, each once."""
        ids = [block.value.pk for block in self.featured_courses if block.value]
        live = {
            p.pk: p for p in Page.objects.live().public().filter(pk__in=ids).specific()
        }
        return [live[pk] for pk in dict.fromkeys(ids) if pk in live]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured"] = self.featured()
        context["notices"] = (
            NoticePage.objects.live().public().order_by("-date", "-pk")[:HOME_NOTICES]
        )
        context["notice_index"] = NoticeIndexPage.objects.live().public().first()
        if self.show_year_figures:
            year = timezone.localdate(timezone=SEOUL).year
            context["figures_year"] = year
            context["year_figures"] = [
                figure
                for fn in hooks.get_hooks(YEAR_FIGURES_HOOK)
                for figure in fn(year)
            ]
        return context


class NoticeIndexPage(Page):
    """공지사항: the list of notices, newest first."""

    intro = RichTextField(_("소개"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NoticePage"]
    max_count = 1
    PER_PAGE = 20

    class Meta:
        verbose_name = _("공지사항 목록")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        notices = (
            NoticePage.objects.child_of(self).live().public().order_by("-date", "-pk")
        )
        context["notices"] = Paginator(notices, self.PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class NoticePage(Page):
    """One notice with the date it is dated by (shown on the home page and in the list)."""

    date = models.DateField(_("게시일"), default=timezone.localdate)
    summary = models.CharField(_("요약"), max_length=200, blank=True)
    body = RichTextField(
        _("본문"), features=["h3", "bold", "italic", "link", "ol", "ul"]
    )

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("공지사항")
        verbose_name_plural = _("공지사항")


class ContentPage(Page):
    """A plain page: about the Academy, guides, policies."""

    body = StreamField(
        [
            (
                "heading",
                blocks.CharBlock(label=_("소제목"), template="cms/blocks/heading.html"),
            ),
            ("paragraph", blocks.RichTextBlock(label=_("본문"))),
        ],
        blank=True,
        use_json_field=True,
        verbose_name=_("본문"),
    )

    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("일반 페이지")


from cms.courses import (  # noqa: E402, F401  (the page types live in their own module)
    CourseIndexPage,
    CoursePage,
    CourseQuestion,
    LessonPage,
)
