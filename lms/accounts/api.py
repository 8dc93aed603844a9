"""`/api/v1/auth/`: API tokens and who the caller is."""

import datetime as dt

from django.contrib.auth import authenticate
from django.contrib.auth import logout as django_logout
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field
from wagtail.models import APIToken

from core.auth import api_auth, api_token_expires_at
from core.problems import NotFound, Problem, ProblemOut, Unauthenticated
from core.types import DbId
from lms.accounts.services import api_token_create, api_token_revoke, api_tokens_of

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(
        min_length=1, max_length=254, description="아이디 또는 이메일"
    )
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class TokenInfoOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="the token's first characters, to tell them apart")
    created: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime
    current: bool = Field(description="the token this request was sent with")


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
    token, raw = api_token_create(user=user)
    return TokenOut(token=raw, expires_at=api_token_expires_at(token))


@router.get(
    "/tokens",
    response={200: list[TokenInfoOut], 401: ProblemOut},
    auth=api_auth,
    summary="My API tokens still in force",
)
def token_list(request: HttpRequest):
    current = getattr(request.auth, "pk", None)
    return [
        TokenInfoOut(
            id=t.pk,
            name=t.name,
            prefix=t.prefix,
            created=t.created,
            last_used_at=t.last_used_at,
            expires_at=api_token_expires_at(t),
            current=t.pk == current,
        )
        for t in api_tokens_of(user=request.user)
    ]


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 401: ProblemOut, 404: ProblemOut},
    auth=api_auth,
    summary="Revoke one of my API tokens",
)
def token_revoke(request: HttpRequest, token_id: DbId):
    if not api_token_revoke(user=request.user, token_id=token_id):
        raise NotFound(_("토큰을 찾을 수 없습니다."))
    return Status(204, None)


@router.post(
    "/logout",
    response={204: None, 401: ProblemOut},
    auth=api_auth,
    summary="Log out: revoke the token of this request (or end this session)",
)
def logout(request: HttpRequest):
    token_id = getattr(request.auth, "pk", None)
    if isinstance(request.auth, APIToken) and token_id is not None:
        api_token_revoke(user=request.user, token_id=token_id)
    else:
        # A browser's session: Django's logout (every token of the user goes with it).
        django_logout(request)
    return Status(204, None)


@router.get("/me", response=MeOut, auth=api_auth, summary="The signed-in user and role")
def me(request: HttpRequest):
    return request.user
