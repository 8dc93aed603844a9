from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "lms.learning"
    label = "learning"
    verbose_name = "학습"
