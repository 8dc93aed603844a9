from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lms.reports"
    label = "reports"
    verbose_name = "교육 실적"
