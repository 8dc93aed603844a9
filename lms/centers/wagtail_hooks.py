"""Admin screens for regions, districts and centers, grouped under one menu."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms.centers.models import Center, District, Region


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    form_fields = ["name", "sort_order"]
    list_display = ["name", "sort_order"]


class DistrictViewSet(ModelViewSet):
    model = District
    icon = "pick"
    form_fields = ["name", "region"]
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]


class CenterViewSet(ModelViewSet):
    model = Center
    icon = "home"
    form_fields = ["name", "kind", "region", "district", "email", "phone", "is_active"]
    list_display = ["name", "kind", "region", "district", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


class CentersGroup(ViewSetGroup):
    menu_label = "센터·자치구"
    menu_icon = "site"
    menu_order = 900
    items = (CenterViewSet, RegionViewSet, DistrictViewSet)


@hooks.register("register_admin_viewset")
def register_centers_group():
    return CentersGroup()
