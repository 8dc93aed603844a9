"""Wagtail admin wiring of the cms pages: the caption rule in the publish flow."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from cms.courses import LessonPage, lesson_publish_problem


@hooks.register("before_publish_page")
def refuse_lesson_without_captions(request, page):
    """The edit is kept as a draft; the editor is told what is missing."""
    specific = page.specific if not isinstance(page, LessonPage) else page
    if not isinstance(specific, LessonPage):
        return None
    problem = lesson_publish_problem(specific)
    if problem is None:
        return None
    messages.error(request, problem)
    if specific.pk:
        return redirect("wagtailadmin_pages:edit", specific.pk)
    return redirect("wagtailadmin_explore", specific.get_parent().pk)
