"""Admin screens for organizations."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.models import Organization


class OrganizationViewSet(ModelViewSet):
    model = Organization
    icon = "group"
    menu_label = "기관"
    menu_order = 910
    add_to_admin_menu = True
    form_fields = ["name", "kind", "district", "address"]
    list_display = ["name", "kind", "district"]
    list_filter = ["kind"]
    search_fields = ["name"]


@hooks.register("register_admin_viewset")
def register_organization_viewset():
    return OrganizationViewSet("organizations")
