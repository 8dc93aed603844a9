"""Changes to the trainer pool: availability, teaching materials and their revisions."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from core import audit
from core.problems import Conflict, Problem
from core.uploads import UploadRefused, check_upload
from lms.accounts.models import User
from lms.trainers.models import (
    AvailabilityException,
    MaterialRevision,
    TeachingMaterial,
    TrainerProfile,
    WeeklyAvailability,
)

MATERIALS_COLLECTION = "강의 자료"


def weekly_availability_add(
    *, trainer: TrainerProfile, weekday: int, start_time: dt.time, end_time: dt.time
) -> WeeklyAvailability:
    if end_time != dt.time(0) and end_time <= start_time:
        raise Problem(_("종료 시각은 시작 시각보다 늦어야 합니다(자정은 00:00)."))
    return WeeklyAvailability.objects.create(
        trainer=trainer, weekday=weekday, start_time=start_time, end_time=end_time
    )


def weekly_availability_remove(*, trainer: TrainerProfile, slot_id: int) -> int:
    """Remove one of the trainer's own weekly slots; another trainer's is left alone."""
    deleted, _rows = WeeklyAvailability.objects.filter(
        pk=slot_id, trainer=trainer
    ).delete()
    return deleted


def availability_exception_add(
    *, trainer: TrainerProfile, date: dt.date, note: str = ""
) -> AvailabilityException:
    return AvailabilityException.objects.create(trainer=trainer, date=date, note=note)


def _trainer_collection(trainer: TrainerProfile) -> Collection:
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=MATERIALS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=MATERIALS_COLLECTION)
    name = f"{trainer.user.username}"
    own = parent.get_children().filter(name=name).first()
    return own or parent.add_child(name=name)


@transaction.atomic
def material_revision_upload(
    *,
    trainer: TrainerProfile,
    title: str,
    file: UploadedFile,
    material: TeachingMaterial | None = None,
) -> MaterialRevision:
    """A new revision (a Wagtail document in the trainer's collection), pending review.

    The file is checked by content against the materials allowlist (core/uploads.py).
    """
    try:
        check_upload(file, purpose="material")
    except UploadRefused as refused:
        raise Problem(" ".join(refused.messages)) from refused
    if material is None:
        material = TeachingMaterial.objects.filter(trainer=trainer, title=title).first()
    if material is None:
        material = TeachingMaterial.objects.create(
            trainer=trainer, title=title, collection=_trainer_collection(trainer)
        )
    number = (material.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    document = get_document_model().objects.create(
        title=f"{material.title} v{number}",
        file=file,
        collection=material.collection,
        uploaded_by_user=trainer.user,
    )
    return MaterialRevision.objects.create(
        material=material, number=number, document=document
    )


@transaction.atomic
def material_revision_review(
    *, revision_id: int, reviewer: User, approve: bool
) -> MaterialRevision:
    revision = MaterialRevision.objects.select_for_update().get(pk=revision_id)
    if revision.status != MaterialRevision.Status.PENDING:
        raise Conflict(_("이미 검토한 자료입니다."))
    revision.status = (
        MaterialRevision.Status.APPROVED
        if approve
        else MaterialRevision.Status.REJECTED
    )
    revision.reviewed_by = reviewer
    revision.reviewed_at = timezone.now()
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit.record(
        actor=reviewer,
        action=f"trainers.material.{revision.status}",
        subject=revision,
        summary=str(revision),
    )
    return revision
