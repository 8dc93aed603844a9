"""`/api/v1/auth/`: API tokens and who the caller is."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from config.problems import Problem, Unauthenticated
from lms.accounts.auth import api_auth
from lms.accounts.services import api_token_create

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(
        min_length=1, max_length=254, description="아이디 또는 이메일"
    )
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    is_superuser: bool
    center_id: int | None
    organization_id: int | None


@router.post(
    "/token",
    response={200: TokenOut, 401: ProblemOut, 429: ProblemOut},
    auth=None,
    summary="Exchange a username (or email) and password for a bearer token",
)
def token_create(request: HttpRequest, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # After too many failures django-axes replaces this answer with a 429.
        raise Unauthenticated(_("아이디(또는 이메일)나 비밀번호가 올바르지 않습니다."))
    if not user.is_active:
        raise Problem(_("사용이 중지된 계정입니다."))
    _token, raw = api_token_create(user=user)
    return TokenOut(token=raw)


@router.get("/me", response=MeOut, auth=api_auth, summary="The signed-in user and role")
def me(request: HttpRequest):
    return request.user
