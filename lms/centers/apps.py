from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "lms.centers"
    label = "centers"
    verbose_name = "센터와 자치구"
