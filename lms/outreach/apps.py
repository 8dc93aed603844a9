from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "lms.outreach"
    label = "outreach"
    verbose_name = "찾아가는 노동교육"
