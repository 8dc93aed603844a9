"""Pages of the public site. The home page carries the Academy's identity."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page


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

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("홈페이지")


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
