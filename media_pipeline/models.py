"""Video assets, their encoding jobs (windows) and captions. States: `states.py`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from media_pipeline.states import AssetState, JobState


class VideoAsset(models.Model):
    """One lecture video, from upload to adaptive streaming.

    Outputs (HLS renditions, master playlist, poster) live under `output_prefix` in the
    default storage; `master_playlist` is set only when the asset turns ready.
    """

    State = AssetState

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
    # The audio rendition and the 1 fps I-frame-only rendition of the ready outputs.
    audio_rendition = models.JSONField(_("음성 변환 결과"), default=dict, blank=True)
    iframe_rendition = models.JSONField(
        _("빨리 감기용 변환 결과"), default=dict, blank=True
    )
    # When a learner could first start it (the first window and the audio encoded), and
    # when the whole ladder was ready.
    playable_at = models.DateTimeField(_("재생 가능해진 때"), null=True, blank=True)
    ready_at = models.DateTimeField(_("변환 완료된 때"), null=True, blank=True)
    # Grows whenever what a master playlist lists changes (windows, captions, a new
    # run), so that its URL changes and no cache serves a stale one.
    playback_version = models.PositiveIntegerField(_("재생목록 판"), default=0)
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


class VideoWindow(models.Model):
    """One encoding job of a processing run: a window of the video, encoded into every
    rung by one ffmpeg process, or (kind audio) the whole audio, encoded once.

    A job is held by a lease (`attempt`, `heartbeat_at`) like the asset: a worker that
    dies leaves it to another once the lease lapses.
    """

    class Kind(models.TextChoices):
        VIDEO = "video", _("영상 구간")
        AUDIO = "audio", _("음성")

    State = JobState

    asset = models.ForeignKey(
        VideoAsset, on_delete=models.CASCADE, related_name="windows"
    )
    run_id = models.UUIDField(_("처리 실행 ID"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    index = models.PositiveIntegerField(_("순번"))
    start = models.FloatField(_("시작(초)"))
    end = models.FloatField(_("끝(초)"))
    state = models.CharField(
        _("상태"), max_length=10, choices=JobState.choices, default=JobState.PENDING
    )
    attempt = models.UUIDField(_("시도 ID"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    worker = models.CharField(_("작업자"), max_length=200, blank=True)
    # Every worker that held the job, in order (a window redone after its worker died
    # names both).
    workers = models.JSONField(default=list, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("진행률(%)"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the job made: storage folder, init segment hashes, fragment byte ranges.
    outputs = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["run_id", "kind", "index"]
        verbose_name = _("변환 구간")
        verbose_name_plural = _("변환 구간")
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "run_id", "kind", "index"], name="one_job_per_window"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.kind} {self.index}"


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
    # Subtitles for the deaf and hard of hearing: sounds and music described as well as
    # speech (HLS CHARACTERISTICS, Apple's authoring specification 4.x).
    sdh = models.BooleanField(_("청각장애인용 자막(소리 설명 포함)"), default=False)
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
