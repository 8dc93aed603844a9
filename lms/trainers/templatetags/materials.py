"""`{% material_link revision %}`: a short-lived link for the person viewing the page."""

from django import template

from lms.trainers.links import material_link as make_link

register = template.Library()


@register.simple_tag(takes_context=True)
def material_link(context, revision) -> str:
    return make_link(revision=revision, user=context["request"].user)
