"""Reading the trainer pool: availability in Asia/Seoul time and why a trainer may not be matched."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from core import access
from core.time import SEOUL
from lms.trainers.models import (
    MaterialRevision,
    TrainerProfile,
)

POOL_RELATIONS = (
    "topics",
    "regions",
    "qualifications",
    "refresher_trainings",
    "weekly_availability",
    "availability_exceptions",
    "conflicts",
)


def related(trainer: TrainerProfile, name: str) -> list:
    """A relation's rows: the list `trainer_pool` prefetched, else a query.

    Reading prefetched lists instead of `.all()` keeps matching over hundreds of trainers
    from building a queryset per trainer and relation.
    """
    cached = getattr(trainer, f"pool_{name}", None)
    return cached if cached is not None else list(getattr(trainer, name).all())


MIDNIGHT = dt.time(0, 0)


def _window(
    date: dt.date, start: dt.time, end: dt.time
) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(date, start, tzinfo=SEOUL)
    finish_date = date + dt.timedelta(days=1) if end == MIDNIGHT else date
    return begin, dt.datetime.combine(finish_date, end, tzinfo=SEOUL)


def _merged_cover(
    windows: list[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> bool:
    """True when the union of windows covers [start, end)."""
    cursor = start
    for begin, finish in sorted(windows):
        if begin > cursor:
            break
        cursor = max(cursor, finish)
        if cursor >= end:
            return True
    return cursor >= end


def trainer_is_available(
    *, trainer: TrainerProfile, starts_at: dt.datetime, ends_at: dt.datetime
) -> bool:
    """Whether the weekly windows plus dated exceptions, read in Seoul time, cover the session.

    A session that runs past midnight needs windows on both local days; a dated
    unavailability on either day removes that day's windows.
    """
    start = starts_at.astimezone(SEOUL)
    end = ends_at.astimezone(SEOUL)
    weekly = related(trainer, "weekly_availability")
    exceptions = related(trainer, "availability_exceptions")
    windows: list[tuple[dt.datetime, dt.datetime]] = []
    blocked: list[tuple[dt.datetime, dt.datetime]] = []
    day = start.date() - dt.timedelta(days=1)
    while day <= end.date():
        for slot in weekly:
            if slot.weekday == day.weekday():
                windows.append(_window(day, slot.start_time, slot.end_time))
        for exc in exceptions:
            if exc.date != day:
                continue
            span = (
                _window(day, exc.start_time, exc.end_time)
                if exc.start_time is not None and exc.end_time is not None
                else _window(day, MIDNIGHT, MIDNIGHT)
            )
            (windows if exc.available else blocked).append(span)
        day += dt.timedelta(days=1)
    if any(b < end and start < f for b, f in blocked):
        return False
    return _merged_cover(windows, start, end)


def refresher_hours_in_year(*, trainer: TrainerProfile, on: dt.date) -> int:
    """Hours of refresher training in the 365 days up to `on`."""
    since = on - dt.timedelta(days=365)
    return sum(
        r.hours
        for r in related(trainer, "refresher_trainings")
        if since < r.completed_on <= on
    )


def trainer_suspension_reasons(*, trainer: TrainerProfile, on: dt.date) -> list[str]:
    """Why the trainer is suspended from matching on that date; empty when they may teach."""
    reasons = []
    if not trainer.is_active:
        reasons.append(_("활동 중지된 강사입니다."))
    valid = [
        q
        for q in related(trainer, "qualifications")
        if q.expires_on is None or q.expires_on >= on
    ]
    if not valid:
        reasons.append(_("유효한 자격이 없습니다(만료)."))
    required = settings.OUTREACH_REFRESHER_HOURS_PER_YEAR
    hours = refresher_hours_in_year(trainer=trainer, on=on)
    if hours < required:
        reasons.append(
            _("보수교육 이수 시간 부족(최근 1년 %(hours)s/%(required)s시간).")
            % {"hours": hours, "required": required}
        )
    return reasons


#: What matching and its screens show of a trainer's account; a user row is wide.
POOL_USER_FIELDS = ("id", "username", "name", "first_name", "last_name", "email")


def _pool_rows(name: str):
    """(profile id, row) for every row of one pool relation, as plain attribute rows.

    Matching reads a handful of attributes of a few thousand rows; building a model
    instance for each took most of the ranking's time, plain rows a tenth of it.
    """
    field = TrainerProfile._meta.get_field(name)
    if field.many_to_many:
        pairs = field.remote_field.through.objects.values_list(
            f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        )
        for owner, other in pairs:
            yield owner, SimpleNamespace(pk=other, id=other)
        return
    model = field.related_model
    owner_attname = field.field.attname
    names = [f.attname for f in model._meta.concrete_fields]
    for values in model.objects.order_by().values_list(*names):
        row = SimpleNamespace(**dict(zip(names, values, strict=True)))
        row.pk = row.id
        yield getattr(row, owner_attname), row


def trainer_pool() -> list[TrainerProfile]:
    """Every profile with what matching reads, in a fixed number of queries.

    Each profile carries `pool_<relation>` lists (read through `related`) of plain rows
    with the relation's columns and `pk`.
    """
    profile_fields = [f.attname for f in TrainerProfile._meta.concrete_fields]
    trainers = list(
        TrainerProfile.objects.select_related("user", "home_district").only(
            *profile_fields,
            *(f"user__{name}" for name in POOL_USER_FIELDS),
            "home_district__id",
            "home_district__name",
            "home_district__region_id",
        )
    )
    by_pk = {trainer.pk: trainer for trainer in trainers}
    for name in POOL_RELATIONS:
        lists = {pk: [] for pk in by_pk}
        for owner, row in _pool_rows(name):
            if owner in lists:
                lists[owner].append(row)
        for pk, rows in lists.items():
            setattr(by_pk[pk], f"pool_{name}", rows)
    return trainers


# --- Teaching materials: who sees a revision -----------------------------------------


def material_revisions_visible_to(*, user):
    """The revisions (every review state) `user` may open: the trainer's own; staff of
    the centers that serve the trainer's home district (its district center and its
    region's center); the metropolitan center's staff and superusers: all. No one else.
    """
    revisions = MaterialRevision.objects.select_related(
        "material__trainer__user", "document"
    )
    return access.scope_to_served_districts(
        revisions,
        user,
        district="material__trainer__home_district",
        own=Q(material__trainer__user=user),
    )


def material_revision_for(*, user, revision_id: int):
    return material_revisions_visible_to(user=user).filter(pk=revision_id).first()
