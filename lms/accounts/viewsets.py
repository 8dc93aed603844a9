"""The Wagtail admin's user screens, with the account fields of this product.

The list shows persons, so each listing is written to the personal data access log.
Only superusers hold the user permissions today; should center staff ever be given
them, they see and open only the accounts of their own center (others answer 404).
"""

from wagtail.users.views import users as wagtail_users
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from core import access
from lms.accounts.forms import AdminUserCreationForm, AdminUserEditForm
from lms.privacy.services import personal_data_list_viewed


def _scoped(queryset, viewer):
    # Superusers see every account; center staff only the staff of their own center
    # (the metropolitan center too: people are managed where they work).
    if access.is_superuser(viewer):
        return queryset
    if access.is_center_staff(viewer):
        return queryset.filter(center=viewer.center_id)
    return queryset.none()


class UserIndexView(wagtail_users.IndexView):
    def get_base_queryset(self):
        return _scoped(super().get_base_queryset(), self.request.user)

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        personal_data_list_viewed(
            actor=self.request.user,
            what="회원 목록 (관리자 화면)",
            count=len(context["object_list"]),
            request=self.request,
        )
        return context


class UserEditView(wagtail_users.EditView):
    def get_queryset(self):
        return _scoped(super().get_queryset(), self.request.user)


class UserDeleteView(wagtail_users.DeleteView):
    def get_queryset(self):
        return _scoped(super().get_queryset(), self.request.user)


class UserViewSet(WagtailUserViewSet):
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"
    index_view_class = UserIndexView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
