from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms.records"
    label = "records"
    verbose_name = _("훈련 기록 체인")

    def ready(self) -> None:
        # Late: the retention registry and the models need the app registry ready.
        from lms.privacy import retention
        from lms.records import services

        retention.register_purger(
            "records.RecordChain",
            services.purge_expired_chains,
            reason="훈련 기록 보존 기간(체인 종류별, RECORDS_RETENTION_YEARS)이 지난 체인",
        )
