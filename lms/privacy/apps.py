from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lms.privacy"
    label = "privacy"
    verbose_name = "개인정보 보호"

    def ready(self) -> None:
        from django.conf import settings

        # Late: models can be imported only once the app registry is ready.
        from lms.privacy import retention
        from lms.privacy.models import ConsentRecord, PersonalDataAccess

        retention.register(
            PersonalDataAccess,
            days=settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS,
            field="at",
            reason="개인정보의 안전성 확보조치 기준: 접속기록 1년(5만 명 이상 2년) 이상 보관",
        )
        retention.register(
            ConsentRecord,
            days=settings.PRIVACY_WITHDRAWN_CONSENT_RETENTION_DAYS,
            field="withdrawn_at",
            reason="철회된 동의의 증빙은 철회 후 정해진 기간만 보관",
        )
