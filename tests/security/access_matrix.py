"""The access matrix: every page and API operation × every role → the expected answer.

HOW TO ADD ROWS (read this when a test in tests/security/test_access_matrix.py fails
with "routes without a row"):

1. Pages (Django URL patterns): add a `Row` to PAGE_ROWS whose `route` is the pattern
   exactly as the failure message prints it (e.g. ``"certificates/verify/<str:number>/"``),
   or, for a whole block of third-party views, one row with ``prefix=True``.
   API operations: add a `Row` to API_ROWS with ``route="METHOD /api/v1/path/{param}"``
   exactly as the OpenAPI document spells it.
2. Give `path` the concrete URL to request. ``{name}`` placeholders are filled from the
   objects that `tests/security/test_access_matrix.py::matrix_objects` creates (add your
   own objects there: an object owned by the `learner`, the `org` contact's organization,
   the `staff` center). Write ``path=None`` with a `note` only when a request cannot be
   made safely (e.g. it deletes the fixture); the route still counts as covered.
3. Give `expect` the status each role gets, using the helpers below (`everyone`,
   `signed_in`, `admin_area`, `superuser_only`, `staff_of_owner`, `owner_only`) or a
   dict. Roles: anonymous, learner, org, trainer, staff (staff of the owning center),
   staff_other (staff of another center), superuser.
   The product's rule: an object of another user or organization answers 404, not 403;
   an object of another center answers 404 to that center's staff.
4. `method` defaults to GET; `data` (a dict) is sent as JSON for API rows and as a form
   for pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANON = "anonymous"
LEARNER = "learner"
ORG = "org"
TRAINER = "trainer"
STAFF = "staff"
STAFF_OTHER = "staff_other"
SUPER = "superuser"
ROLES = (ANON, LEARNER, ORG, TRAINER, STAFF, STAFF_OTHER, SUPER)
# Demo accounts (CONTRACTS.md) that play each role; staff's center owns the fixtures.
ROLE_USERNAMES = {
    LEARNER: "learner",
    ORG: "org",
    TRAINER: "trainer",
    STAFF: "staff",
    STAFF_OTHER: "staff-dongbuk",
    SUPER: "admin",
}


@dataclass(frozen=True)
class Row:
    route: str
    path: str | None
    expect: dict[str, int]
    method: str = "GET"
    prefix: bool = False
    data: dict | None = None
    note: str = ""
    # Extra header checks, e.g. {"Content-Disposition": "attachment"} (substring match).
    headers: dict[str, str] = field(default_factory=dict)


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int = 200, *, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), ANON: anonymous}


def admin_area(status: int = 200) -> dict[str, int]:
    """Wagtail admin views open to center staff (the access_admin permission)."""
    return {
        ANON: 302,
        LEARNER: 302,
        ORG: 302,
        TRAINER: 302,
        STAFF: status,
        STAFF_OTHER: status,
        SUPER: status,
    }


def superuser_only(
    status: int = 200, *, staff: int = 302, outsider: int = 302
) -> dict[str, int]:
    """Admin views that need a model permission center staff do not hold."""
    return {
        ANON: 302,
        LEARNER: outsider,
        ORG: outsider,
        TRAINER: outsider,
        STAFF: staff,
        STAFF_OTHER: staff,
        SUPER: status,
    }


def staff_of_owner(status: int = 200, *, anonymous: int = 401) -> dict[str, int]:
    """An object of one center: its staff and superusers see it, everyone else 404."""
    return {**everyone(404), ANON: anonymous, STAFF: status, SUPER: status}


def owner_only(owner: str, status: int = 200, *, anonymous: int = 401) -> dict:
    """An object of one user or organization: 404 to every other signed-in user."""
    return {**everyone(404), ANON: anonymous, owner: status}


ADMIN_LOGIN_ONLY = {**everyone(200), STAFF: 302, STAFF_OTHER: 302, SUPER: 302}
ADMIN_404 = {**admin_area(404)}

# --- Pages --------------------------------------------------------------------------------
PAGE_ROWS: list[Row] = [
    # The public site (Wagtail's page tree) and documents.
    Row("^((?:[\\w\\-]+/)*)$", "/", everyone(200), note="Wagtail pages"),
    Row(
        "documents/^(\\d+)/(.*)$",
        "/documents/{document_id}/{document_filename}",
        everyone(200),
        headers={
            "Content-Disposition": "attachment",
            "X-Content-Type-Options": "nosniff",
        },
    ),
    Row(
        "documents/authenticate_with_password/<int:restriction_id>/",
        "/documents/authenticate_with_password/999999/",
        everyone(404),
    ),
    Row(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "/_util/authenticate_with_password/999999/{home_page_id}/",
        everyone(404),
    ),
    Row("_util/login/", "/_util/login/", everyone(200)),
    # Accounts (allauth).
    Row("accounts/login/", "/accounts/login/", {**everyone(302), ANON: 200}),
    Row("accounts/signup/", "/accounts/signup/", {**everyone(302), ANON: 200}),
    Row("accounts/logout/", "/accounts/logout/", signed_in(200)),
    Row("accounts/inactive/", "/accounts/inactive/", everyone(200)),
    Row("accounts/reauthenticate/", "/accounts/reauthenticate/", signed_in(200)),
    Row("accounts/email/", "/accounts/email/", signed_in(200)),
    Row("accounts/confirm-email/", "/accounts/confirm-email/", everyone(200)),
    Row(
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
        "/accounts/confirm-email/not-a-key/",
        everyone(200),
        note="an unknown key shows the 'invalid link' page",
    ),
    Row("accounts/password/change/", "/accounts/password/change/", signed_in(200)),
    Row("accounts/password/set/", "/accounts/password/set/", signed_in(302)),
    Row("accounts/password/reset/", "/accounts/password/reset/", everyone(200)),
    Row(
        "accounts/password/reset/done/", "/accounts/password/reset/done/", everyone(200)
    ),
    Row(
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        "/accounts/password/reset/key/zz-not-a-key/",
        everyone(200),
        note="an unknown key shows the 'bad token' page",
    ),
    Row(
        "accounts/password/reset/key/done/",
        "/accounts/password/reset/key/done/",
        everyone(200),
    ),
    Row(
        "accounts/login/code/confirm/",
        "/accounts/login/code/confirm/",
        {**everyone(302), ANON: 302},
        note="login by code is off: every caller is sent away",
    ),
    # The API's own pages and its catch-all.
    Row("api/v1/openapi.json", "/api/v1/openapi.json", everyone(200)),
    Row("api/v1/docs", "/api/v1/docs", everyone(200)),
    Row("api/v1/", "/api/v1/", everyone(404)),
    Row("^api/", "/api/v2/anything", everyone(404)),
    # Session keep-alive of the staff idle timeout (lms.privacy).
    Row(
        "privacy/session/extend/",
        "/privacy/session/extend/",
        {**everyone(403), ANON: 401, STAFF: 200, STAFF_OTHER: 200, SUPER: 200},
        method="POST",
    ),
    # --- Wagtail admin ---------------------------------------------------------------
    Row("admin/", "/admin/", admin_area(200)),
    Row("admin/login/", "/admin/login/", ADMIN_LOGIN_ONLY),
    Row(
        "admin/logout/",
        None,
        admin_area(302),
        note="any request to it ends the session, so it is not requested here",
    ),
    Row("admin/account/", "/admin/account/", admin_area(200)),
    Row("admin/password_reset/", "/admin/password_reset/", everyone(200), prefix=True),
    Row("admin/jsi18n/", "/admin/jsi18n/", everyone(200)),
    Row("admin/sprite/", "/admin/sprite/", everyone(200)),
    Row("admin/test404/", "/admin/test404/", admin_area(200)),
    Row(
        "admin/failwhale/",
        None,
        admin_area(500),
        note="Wagtail's deliberate error page; requesting it raises",
    ),
    Row("admin/^.*/$", "/admin/no-such-admin-page/", admin_area(404)),
    # Our admin screens: center staff hold no model permission on them yet.
    Row(
        "admin/users/",
        "/admin/users/",
        superuser_only(200),
        prefix=True,
        note="users hold personal data: superusers only",
    ),
    Row(
        "admin/users/edit/<int:pk>/",
        "/admin/users/edit/{learner_id}/",
        superuser_only(200),
    ),
    Row("admin/groups/", "/admin/groups/", superuser_only(200), prefix=True),
    Row(
        "admin/organizations/",
        "/admin/organizations/",
        superuser_only(200),
        prefix=True,
    ),
    Row(
        "admin/organizations/edit/<int:pk>/",
        "/admin/organizations/edit/{organization_id}/",
        superuser_only(200),
    ),
    Row("admin/center/", "/admin/center/", superuser_only(200), prefix=True),
    Row("admin/region/", "/admin/region/", superuser_only(200), prefix=True),
    Row("admin/district/", "/admin/district/", superuser_only(200), prefix=True),
    Row("admin/sites/", "/admin/sites/", superuser_only(200), prefix=True),
    # Wagtail's own admin apps, one sample each; every view checks its own permission.
    Row("admin/api/main/", "/admin/api/main/pages/", admin_area(200), prefix=True),
    Row("admin/pages/", "/admin/pages/", superuser_only(200), prefix=True),
    Row("admin/bulk/", None, superuser_only(200), prefix=True, note="POST actions"),
    Row("admin/choose-", "/admin/choose-page/", admin_area(200), prefix=True),
    Row(
        "admin/tag-autocomplete/",
        "/admin/tag-autocomplete/",
        admin_area(200),
        prefix=True,
    ),
    Row("admin/collections/", "/admin/collections/", superuser_only(200), prefix=True),
    Row(
        "admin/workflows/",
        "/admin/workflows/list/",
        superuser_only(200),
        prefix=True,
    ),
    Row(
        "admin/reports/",
        "/admin/reports/site-history/",
        admin_area(200),
        prefix=True,
    ),
    Row(
        "admin/dismissibles/",
        "/admin/dismissibles/",
        admin_area(200),
    ),
    Row(
        "admin/editing-sessions/",
        None,
        admin_area(200),
        prefix=True,
        note="POST pings of the page editor",
    ),
    Row(
        "admin/block-preview/",
        "/admin/block-preview/",
        admin_area(404),
        note="without a block there is nothing to preview",
    ),
    Row("admin/forms/", "/admin/forms/", superuser_only(200), prefix=True),
    Row("admin/redirects/", "/admin/redirects/", superuser_only(200), prefix=True),
    Row(
        "admin/settings/",
        None,
        superuser_only(200),
        prefix=True,
        note="no settings model registered yet",
    ),
    Row("admin/embeds/", "/admin/embeds/chooser/", admin_area(200), prefix=True),
    Row(
        "admin/snippets/",
        "/admin/snippets/",
        superuser_only(302),
        prefix=True,
        note="no snippet models yet: Wagtail sends everyone back",
    ),
    Row("admin/documents/", "/admin/documents/", superuser_only(200), prefix=True),
    Row("admin/images/", "/admin/images/", superuser_only(200), prefix=True),
]

# --- API operations (as the OpenAPI document names them) ------------------------------------
API_ROWS: list[Row] = [
    Row("GET /api/v1/health", "/api/v1/health", everyone(200)),
    Row(
        "POST /api/v1/auth/token",
        "/api/v1/auth/token",
        everyone(401),
        method="POST",
        data={"username": "nobody", "password": "wrong-password"},
    ),
    Row("GET /api/v1/auth/me", "/api/v1/auth/me", signed_in(200, anonymous=401)),
    Row(
        "GET /api/v1/privacy/consent",
        "/api/v1/privacy/consent",
        everyone(200),
    ),
]
