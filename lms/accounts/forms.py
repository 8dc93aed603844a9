"""Account forms: the extra sign-up details, and the Wagtail admin's user forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from lms.accounts.models import User
from lms.accounts.services import user_sync_role_groups
from lms.privacy.services import consent_current, consent_record


class SignupDetailsForm(forms.Form):
    """Asked by allauth's sign-up page beside email and password.

    The consent text is the signup ConsentVersion in force; the version shown is sent
    back with the form and recorded (lms.privacy), so we know what each person agreed to.
    """

    name = forms.CharField(label=_("이름"), max_length=50)
    consent_version = forms.IntegerField(widget=forms.HiddenInput)
    agree_privacy = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("회원가입에는 개인정보 수집·이용 동의가 필요합니다.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.consent = consent_current(purpose_kind="signup")
        self.fields["consent_version"].initial = self.consent.version
        self.fields["agree_privacy"].label = _(
            "개인정보 수집·이용에 동의합니다 (v%(version)s). 목적: %(purpose)s / "
            "항목: %(items)s / 보유 기간: %(retention)s / %(refuse)s"
        ) % {
            "version": self.consent.version,
            "purpose": self.consent.purpose,
            "items": self.consent.items,
            "retention": self.consent.retention,
            "refuse": self.consent.right_to_refuse,
        }

    def clean_consent_version(self) -> int:
        shown = self.cleaned_data["consent_version"]
        if shown != self.consent.version:
            raise forms.ValidationError(
                _("동의서 내용이 바뀌었습니다. 새 내용을 확인하고 다시 동의해 주세요.")
            )
        return shown

    def signup(self, request, user: User) -> None:

        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])
        consent_record(user=user, version=self.consent, request=request)


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
