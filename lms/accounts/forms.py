"""Account forms: the extra sign-up details, and the Wagtail admin's user forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from lms.accounts.models import User


class SignupDetailsForm(forms.Form):
    """Asked by allauth's sign-up page beside email and password."""

    name = forms.CharField(label=_("이름"), max_length=50)
    agree_privacy = forms.BooleanField(
        label=_(
            "개인정보 수집·이용에 동의합니다 (이름, 이메일: 회원 관리와 수료 확인, 탈퇴 시까지 보관)."
        ),
        required=True,
        error_messages={
            "required": _("회원가입에는 개인정보 수집·이용 동의가 필요합니다.")
        },
    )

    def signup(self, request, user: User) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


ACCOUNT_FIELDS = ("name", "phone", "role", "center", "organization")


class _AccountFieldsMixin:
    """Korean names are one field; Wagtail's first/last name become optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for legacy in ("first_name", "last_name"):
            if legacy in self.fields:
                self.fields[legacy].required = False
        self.fields["name"].required = True

    def save(self, commit=True):
        from lms.accounts.services import user_sync_role_groups

        user = super().save(commit=commit)
        if commit:
            user_sync_role_groups(user)
        return user


class AdminUserCreationForm(_AccountFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(ACCOUNT_FIELDS)


class AdminUserEditForm(_AccountFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(ACCOUNT_FIELDS)
