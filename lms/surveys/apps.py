from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "lms.surveys"
    label = "surveys"
    verbose_name = "설문"
