"""Template filters over lms.outreach.labels: Korean words, won amounts and dates."""

from django import template

from lms.outreach import labels

register = template.Library()

register.filter("org_kind", labels.organization_kind_label)
register.filter("request_state", labels.request_state_label)
register.filter("offer_state", labels.offer_state_label)
register.filter("event_summary", labels.event_summary)
register.filter("won", labels.won)
register.filter("kdatetime", labels.korean_datetime)


@register.filter
def accessibility(codes) -> str:
    return ", ".join(labels.accessibility_labels(codes)) or "-"
