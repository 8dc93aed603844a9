from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "lms.accounts"
    label = "accounts"
    verbose_name = "계정"

    def ready(self) -> None:
        # Late: receivers connect once the app registry is ready.
        from lms.accounts import signals  # noqa: F401


class AccountsUsersAdminConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our user fields (name, role, center, organization)."""

    default = False
    user_viewset = "lms.accounts.viewsets.UserViewSet"
