"""The state machines of the video pipeline: the asset's, and its encoding jobs' (windows).

Every write of a `state` column goes through `services.asset_set_state` or
`services.job_set_state`, which refuse a transition that is not listed here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetState(models.TextChoices):
    CREATED = "created", _("생성됨")
    UPLOADING = "uploading", _("업로드 중")
    UPLOADED = "uploaded", _("업로드 완료")
    PROBING = "probing", _("검사 중")
    TRANSCODING = "transcoding", _("변환 중")
    PUBLISHING = "publishing", _("게시 중")
    READY = "ready", _("재생 가능")
    REJECTED = "rejected", _("거부됨")
    FAILED = "failed", _("실패")


S = AssetState

#: A run holds the asset (by its lease) in these states.
ACTIVE = frozenset({S.PROBING, S.TRANSCODING, S.PUBLISHING})
#: Nothing more happens to the asset on its own.
FINISHED = frozenset({S.READY, S.REJECTED, S.FAILED})
#: Waiting for its bytes.
UPLOAD_OPEN = frozenset({S.CREATED, S.UPLOADING})
#: A player may be given a playlist in these states (with `playable_at` set while a run
#: is still encoding the later windows).
PLAYABLE = frozenset({S.TRANSCODING, S.PUBLISHING, S.READY})

#: from -> the states it may go to. A lapsed lease re-enters PROBING from any active
#: state (another worker takes the run over).
ASSET_TRANSITIONS: dict[str, frozenset[str]] = {
    S.CREATED: frozenset({S.UPLOADING, S.UPLOADED, S.REJECTED, S.FAILED}),
    S.UPLOADING: frozenset({S.UPLOADED, S.FAILED}),
    S.UPLOADED: frozenset({S.PROBING}),
    S.PROBING: frozenset({S.PROBING, S.TRANSCODING, S.REJECTED, S.FAILED}),
    S.TRANSCODING: frozenset(
        {S.PROBING, S.TRANSCODING, S.PUBLISHING, S.REJECTED, S.FAILED}
    ),
    S.PUBLISHING: frozenset({S.PROBING, S.PUBLISHING, S.READY, S.FAILED}),
    S.READY: frozenset({S.UPLOADED}),
    S.REJECTED: frozenset({S.UPLOADED}),
    S.FAILED: frozenset({S.UPLOADED}),
}


def asset_may_move(from_state: str, to_state: str) -> bool:
    return to_state in ASSET_TRANSITIONS.get(from_state, frozenset())


class JobState(models.TextChoices):
    """One encoding job of a run: a window of the video (every rung), or the audio."""

    PENDING = "pending", _("대기")
    RUNNING = "running", _("변환 중")
    DONE = "done", _("완료")
    FAILED = "failed", _("실패")


J = JobState
JOB_OPEN = frozenset({J.PENDING, J.RUNNING})
#: RUNNING -> RUNNING is a takeover: another worker's lease replaces a lapsed one.
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    J.PENDING: frozenset({J.RUNNING, J.FAILED}),
    J.RUNNING: frozenset({J.RUNNING, J.DONE, J.FAILED}),
    J.DONE: frozenset(),
    J.FAILED: frozenset(),
}


def job_may_move(from_state: str, to_state: str) -> bool:
    return to_state in JOB_TRANSITIONS.get(from_state, frozenset())
