from django.apps import AppConfig


class TrainersConfig(AppConfig):
    name = "lms.trainers"
    label = "trainers"
    verbose_name = "강사단"
