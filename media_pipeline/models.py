"""Video assets and their captions. States and rules: DESIGN.md, "Video pipeline"."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VideoAsset(models.Model):
    """One lecture video, from upload to adaptive streaming.

    Outputs (HLS renditions, master playlist, poster) live under `output_prefix` in the
    default storage; `master_playlist` is set only when the asset turns ready.
    """

    class State(models.TextChoices):
        CREATED = "created", _("생성됨")
        UPLOADING = "uploading", _("업로드 중")
        UPLOADED = "uploaded", _("업로드 완료")
        PROBING = "probing", _("검사 중")
        TRANSCODING = "transcoding", _("변환 중")
        PUBLISHING = "publishing", _("게시 중")
        READY = "ready", _("재생 가능")
        REJECTED = "rejected", _("거부됨")
        FAILED = "failed", _("실패")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("제목"), max_length=200)
    state = models.CharField(
        _("상태"),
        max_length=20,
        choices=State.choices,
        default=State.CREATED,
        db_index=True,
    )
    reason = models.TextField(_("거부·실패 사유"), blank=True)
    retries = models.PositiveSmallIntegerField(_("재시도 횟수"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("올린 사람"),
    )
    source_path = models.CharField(_("원본 경로"), max_length=500, blank=True)
    original_filename = models.CharField(_("원본 파일명"), max_length=255, blank=True)
    size_bytes = models.BigIntegerField(_("크기(바이트)"), null=True, blank=True)
    duration = models.FloatField(_("길이(초)"), null=True, blank=True)
    video_codec = models.CharField(_("영상 코덱"), max_length=40, blank=True)
    audio_codec = models.CharField(_("음성 코덱"), max_length=40, blank=True)
    width = models.PositiveIntegerField(_("가로"), null=True, blank=True)
    height = models.PositiveIntegerField(_("세로"), null=True, blank=True)
    frame_rate = models.FloatField(_("초당 프레임"), null=True, blank=True)
    rotation = models.SmallIntegerField(_("회전"), default=0)
    output_prefix = models.CharField(_("출력 경로"), max_length=300, blank=True)
    master_playlist = models.CharField(_("마스터 재생목록"), max_length=500, blank=True)
    poster = models.CharField(_("포스터 이미지"), max_length=500, blank=True)
    progress = models.PositiveSmallIntegerField(_("진행률(%)"), default=0)
    # The processing run that holds the asset, and when it last showed it is alive: a run
    # whose heartbeat is older than VIDEO_LEASE_SECONDS may be taken over.
    run_id = models.UUIDField(_("처리 실행 ID"), null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("처리 중 마지막 신호"), null=True, blank=True)
    # [{"name", "width", "height", "bandwidth", "average_bandwidth", "codecs", "playlist"}]
    renditions = models.JSONField(_("변환 결과"), default=list, blank=True)
    upload_id = models.CharField(_("업로드 ID"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("만든 때"), default=timezone.now)
    state_changed_at = models.DateTimeField(_("상태 바뀐 때"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("영상")
        verbose_name_plural = _("영상")

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY


class VideoCaption(models.Model):
    """A caption track of an asset, stored as WebVTT whatever was uploaded."""

    asset = models.ForeignKey(
        VideoAsset,
        on_delete=models.CASCADE,
        related_name="captions",
        verbose_name=_("영상"),
    )
    language = models.CharField(_("언어 코드"), max_length=10, default="ko")
    label = models.CharField(_("표시 이름"), max_length=40, default="한국어")
    vtt_path = models.CharField(_("WebVTT 경로"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("자막")
        verbose_name_plural = _("자막")
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "language"], name="one_caption_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset} ({self.label})"
