"""The chains and their records. Rows are appended by `services.record_append` only."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class RecordChain(models.Model):
    """One chain: an organization's records of one year, or the 개인 learners' of one year."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("기관")
        PERSONAL = "personal", _("개인")

    kind = models.CharField(_("체인 종류"), max_length=20, choices=Kind.choices)
    # "org:<id>" or "personal"; with the year it names the chain, also inside each payload.
    scope = models.CharField(_("범위"), max_length=40)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("기관"),
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    # The head: the last record's sequence number and hash (0 and the genesis when empty).
    head_seq = models.PositiveIntegerField(_("마지막 순번"), default=0)
    head_hash = models.CharField(_("마지막 해시"), max_length=64, default=GENESIS_HASH)
    created_at = models.DateTimeField(default=timezone.now)
    last_appended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("훈련 기록 체인")
        verbose_name_plural = _("훈련 기록 체인")
        ordering = ["year", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="one_chain_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"

    @property
    def label(self) -> str:
        if self.organization_id:
            return f"기관 #{self.organization_id}"
        return "개인"


class TrainingRecord(models.Model):
    """One appended fact. Never updated; deleted only with its whole chain (retention)."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("수료")
        CERTIFICATE = "certificate", _("수료증 발급")
        CERTIFICATE_REVOKED = "certificate_revoked", _("수료증 취소")
        TEST_ATTEMPT = "test_attempt", _("평가 응시")
        IDENTITY_CHECK = "identity_check", _("본인 확인")

    chain = models.ForeignKey(
        RecordChain, on_delete=models.CASCADE, related_name="records"
    )
    seq = models.PositiveIntegerField(_("순번"))
    kind = models.CharField(_("종류"), max_length=30, choices=Kind.choices)
    # What the record is about, e.g. "learning.enrollment:12"; one record per kind and subject.
    subject = models.CharField(_("대상"), max_length=80)
    # Plain ids, not foreign keys: deleting an account must not rewrite the chain.
    learner_id = models.BigIntegerField(_("학습자 번호"), db_index=True)
    course_id = models.BigIntegerField(_("강의 번호"), null=True, blank=True)
    # The exact bytes that were hashed (canonical JSON), kept as text, never re-serialized.
    payload = models.TextField(_("내용(정규화 JSON)"))
    prev_hash = models.CharField(_("앞 기록 해시"), max_length=64)
    hash = models.CharField(_("해시"), max_length=64)
    appended_at = models.DateTimeField(_("기록한 때"), default=timezone.now)

    class Meta:
        verbose_name = _("훈련 기록")
        verbose_name_plural = _("훈련 기록")
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="one_record_per_seq"),
            models.UniqueConstraint(
                fields=["kind", "subject"], name="one_record_per_fact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain_id}#{self.seq} {self.kind}"
