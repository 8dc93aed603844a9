"""The site's main navigation: the home page's children that editors mark "show in menus"."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(
        site.root_page.get_children().live().public().in_menu().specific(defer=True)
    )
