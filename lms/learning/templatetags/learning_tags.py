"""Learner state for cms templates (course and lesson pages), so cms never imports lms."""

from __future__ import annotations

from django import template

from lms.learning import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def course_state(context, course):
    """The current user's CourseState of a course (anonymous: lessons without progress)."""
    return selectors.course_state_for(user=context["request"].user, course=course)


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson):
    """(course state, this lesson's state, previous lesson, next lesson)."""
    course = lesson.get_parent().specific
    state = selectors.course_state_for(user=context["request"].user, course=course)
    index = next(
        (i for i, s in enumerate(state.lessons) if s.lesson.pk == lesson.pk), None
    )
    if index is None:
        return {"course": state, "lesson": None, "previous": None, "next": None}
    return {
        "course": state,
        "lesson": state.lessons[index],
        "previous": state.lessons[index - 1].lesson if index > 0 else None,
        "next": state.lessons[index + 1].lesson
        if index + 1 < len(state.lessons)
        else None,
    }


@register.filter
def clock(seconds) -> str:
    """Seconds as 분:초 (or 시:분:초)."""
    total = int(float(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
