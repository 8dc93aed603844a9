"""Admin screens of the trainer pool: profiles, qualifications, refresher training,
conflicts of interest and topics, grouped under one menu."""

from django.http import Http404
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core import access
from lms.privacy.services import personal_data_list_viewed
from lms.trainers.models import (
    ConflictOfInterest,
    MaterialRevision,
    Qualification,
    RefresherTraining,
    Topic,
    TrainerProfile,
)


class CenterStaffPolicy(ModelPermissionPolicy):
    """Center staff manage the shared trainer pool without per-model Django permissions."""

    def user_has_permission(self, user, action):
        if access.is_center_staff(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


for _model in (
    TrainerProfile,
    Qualification,
    RefresherTraining,
    ConflictOfInterest,
    Topic,
):
    register_permission_policy(_model, CenterStaffPolicy(_model))


class LoggedIndexView(IndexView):
    """A list of the pool names persons: each listing goes into the access log."""

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        personal_data_list_viewed(
            actor=self.request.user,
            what=f"강사단 목록: {self.model._meta.verbose_name}",
            count=len(context["object_list"]),
            request=self.request,
        )
        return context


class PoolViewSet(ModelViewSet):
    index_view_class = LoggedIndexView


class TrainerProfileViewSet(PoolViewSet):
    model = TrainerProfile
    icon = "user"
    menu_label = "강사"
    form_fields = [
        "user",
        "grade",
        "home_district",
        "regions",
        "topics",
        "languages",
        "weight",
        "monthly_cap",
        "is_active",
    ]
    list_display = [
        "user",
        "grade",
        "home_district",
        "weight",
        "monthly_cap",
        "is_active",
    ]
    list_filter = ["grade", "is_active"]
    search_fields = ["user__username", "user__name"]


class QualificationViewSet(PoolViewSet):
    model = Qualification
    icon = "tick-inverse"
    menu_label = "자격"
    form_fields = ["trainer", "kind", "registration_number", "expires_on"]
    list_display = ["trainer", "kind", "registration_number", "expires_on"]
    list_filter = ["kind"]


class RefresherTrainingViewSet(PoolViewSet):
    model = RefresherTraining
    icon = "date"
    menu_label = "보수교육"
    form_fields = ["trainer", "title", "completed_on", "hours"]
    list_display = ["trainer", "title", "completed_on", "hours"]


class ConflictViewSet(PoolViewSet):
    model = ConflictOfInterest
    icon = "warning"
    menu_label = "이해충돌 기관"
    form_fields = ["trainer", "organization", "organization_name", "reason"]
    list_display = ["trainer", "organization", "organization_name", "reason"]


class TopicViewSet(ModelViewSet):
    model = Topic
    icon = "tag"
    menu_label = "교육 주제"
    form_fields = ["code", "name"]
    list_display = ["name", "code"]


class TrainerPoolGroup(ModelViewSetGroup):
    menu_label = "강사단"
    menu_icon = "group"
    menu_order = 310
    items = (
        TrainerProfileViewSet("trainers"),
        QualificationViewSet("trainer-qualifications"),
        RefresherTrainingViewSet("trainer-refreshers"),
        ConflictViewSet("trainer-conflicts"),
        TopicViewSet("topics"),
    )


@hooks.register("register_admin_viewset")
def register_trainer_pool():
    return TrainerPoolGroup()


@hooks.register("before_serve_document")
def materials_only_through_their_links(document, request):
    """A teaching material is never served at /documents/<id>/<name>, whatever its
    review state: only its short-lived link (lms/trainers/links.py) serves it."""

    if MaterialRevision.objects.filter(document_id=document.pk).exists():
        raise Http404
