"""Enrollment, playback heartbeats, progress, completion, course tests and certificates.

Rules: README, "Online learning". The arithmetic of ranges and credited time is in
`progress.py`; the rows here keep its state.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    """A learner's place in a course (수강 신청). Completion is set once, never unset."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("학습자"),
    )
    course = models.ForeignKey(
        "cms.CoursePage",
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("강의"),
    )
    enrolled_at = models.DateTimeField(_("신청한 때"), default=timezone.now)
    completed_at = models.DateTimeField(_("수료한 때"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "cms.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("마지막으로 본 차시"),
    )
    last_activity_at = models.DateTimeField(_("마지막 학습"), null=True, blank=True)

    class Meta:
        verbose_name = _("수강")
        verbose_name_plural = _("수강")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="one_enrollment_per_course"
            )
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_id}"


class LessonProgress(models.Model):
    """Per learner and lesson: the union of played media ranges and the credited time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(
        "cms.LessonPage", on_delete=models.CASCADE, related_name="+"
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    ranges = models.JSONField(_("시청 구간"), default=list)
    watched_seconds = models.FloatField(_("시청 범위(초)"), default=0)
    credited_seconds = models.FloatField(_("인정 학습 시간(초)"), default=0)
    position = models.FloatField(_("이어 볼 위치(초)"), default=0)
    completed_at = models.DateTimeField(_("이수한 때"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Raised by every write of a beat: a fold computed from an older version is not
    # written (lms/learning/beat_store.py).
    version = models.PositiveIntegerField(_("쓰기 차례"), default=0, editable=False)

    class Meta:
        verbose_name = _("차시 진도")
        verbose_name_plural = _("차시 진도")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="one_progress_per_lesson"
            ),
            models.CheckConstraint(
                condition=Q(watched_seconds__gte=0) & Q(credited_seconds__gte=0),
                name="progress_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id}"


class LearnerClock(models.Model):
    """Per learner, across all lessons and courses: how far their credited time has run.

    `credited_until` is the server time up to which the learner's study time has been
    credited; a beat may credit only time after it (and at most the tolerance ahead of
    the server's clock), so all lessons together never earn faster than real time.
    `holder_lesson` is the lesson whose beats earn that time; another lesson's beats earn
    nothing while the holder keeps beating (services.heartbeat_record). Raised `version`
    on every beat: a fold computed from an older clock is not written (beat_store.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    credited_until = models.DateTimeField(_("인정 시간이 흐른 시각"))
    holder_lesson = models.ForeignKey(
        "cms.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("학습 시간을 인정받는 차시"),
    )
    holder_seen_at = models.DateTimeField(_("그 차시의 마지막 신호"), null=True)
    version = models.PositiveIntegerField(_("쓰기 차례"), default=0, editable=False)

    class Meta:
        verbose_name = _("학습자 인정 시간")
        verbose_name_plural = _("학습자 인정 시간")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.credited_until:%Y-%m-%d %H:%M:%S}"


class PlaybackSession(models.Model):
    """One playback of a lesson in one tab. Its window of server time bounds what it credits."""

    id = models.UUIDField(primary_key=True)
    progress = models.ForeignKey(
        LessonProgress, on_delete=models.CASCADE, related_name="sessions"
    )
    first_beat_at = models.DateTimeField()
    last_beat_at = models.DateTimeField()
    claimed_seconds = models.FloatField(default=0)
    last_seq = models.IntegerField(default=-1)

    def __str__(self) -> str:
        return str(self.id)


class HeartbeatReceipt(models.Model):
    """One accepted (session, seq): a duplicate delivery of the same beat changes nothing."""

    session = models.ForeignKey(
        PlaybackSession, on_delete=models.CASCADE, related_name="+"
    )
    seq = models.PositiveIntegerField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "seq"], name="one_receipt_per_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.seq}"


class CourseTestAttempt(models.Model):
    """One sitting of a course test (평가): the questions drawn from the bank and the answers."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="test_attempts"
    )
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("평가 응시")
        verbose_name_plural = _("평가 응시")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.score}"


class Certificate(models.Model):
    """A certificate of completion (수료증), issued once per enrollment; revocable by staff."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("수료증 번호"), max_length=32, unique=True)
    # Snapshots: the certificate says what was true on the day it was issued.
    learner_name = models.CharField(_("성명"), max_length=100)
    course_title = models.CharField(_("과정명"), max_length=255)
    issued_at = models.DateTimeField(_("발급일"), default=timezone.now)
    revoked_at = models.DateTimeField(_("취소한 때"), null=True, blank=True)
    revoked_reason = models.CharField(_("취소 사유"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("수료증")
        verbose_name_plural = _("수료증")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("learning:certificate-verify", args=[self.number])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
