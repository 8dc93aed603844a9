from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lms.demo"
    label = "demo"
    verbose_name = "데모 데이터"
