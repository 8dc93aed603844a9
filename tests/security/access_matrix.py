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

import datetime as dt
from dataclasses import dataclass, field

# A deadline the API accepts (dates are bounded to five years ahead, core/types.py).
_THIS_YEAR = dt.date.today().year

ANON = "anonymous"
LEARNER = "learner"
ORG = "org"
TRAINER = "trainer"
STAFF = "staff"
STAFF_OTHER = "staff_other"
SUPER = "superuser"
ROLES = (ANON, LEARNER, ORG, TRAINER, STAFF, STAFF_OTHER, SUPER)
# Demo accounts (README, "Demo accounts") that play each role; staff's center owns the fixtures.
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
    # The media folder itself is not a site: with DEBUG off no path of it is served except
    # by the views below (signed video outputs, image renditions), so a stored document's
    # own file name answers 404 to everyone.
    Row("^((?:[\\w\\-]+/)*)$", "/media/{document_storage_name}", everyone(404)),
    Row("^((?:[\\w\\-]+/)*)$", "/media/original_images/matrix.png", everyone(404)),
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
    Row(
        "accounts/confirm-email/",
        "/accounts/confirm-email/",
        everyone(302),
        note="the page for the mailed sign-up code; with no sign-up under way it goes on",
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
        superuser_only(200, staff=404),
        note="an account outside the staff member's center answers 404 (lms/accounts/viewsets.py)",
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
        "GET /api/v1/auth/tokens", "/api/v1/auth/tokens", signed_in(200, anonymous=401)
    ),
    Row(
        "DELETE /api/v1/auth/tokens/{token_id}",
        "/api/v1/auth/tokens/999999",
        signed_in(404, anonymous=401),
        method="DELETE",
        note="another user's token answers 404 too (tests/security/test_rows.py)",
    ),
    Row(
        "POST /api/v1/auth/logout",
        None,
        signed_in(204, anonymous=401),
        method="POST",
        note="ends the matrix client's session; tests/security/test_rows.py row 7",
    ),
    Row(
        "GET /api/v1/privacy/consent",
        "/api/v1/privacy/consent",
        everyone(200),
    ),
]

# --- Video pipeline, online learning, outreach ------------------------------------------------
PAGE_ROWS += [
    Row(
        "^media/play/(?P<grant>[A-Za-z0-9_:.-]{10,400})/v(?P<version>\\d{1,9})/"
        "(?P<name>(?:subs/)?[A-Za-z0-9_-]{1,40}\\.m3u8)$",
        "/media/play/not-a-grant-at-all/v1/master.m3u8",
        everyone(404),
        note="playlists for the holder of a playback grant (issued by the page that"
        " shows the player, bound to its viewer); tests/media_pipeline/test_playback.py",
    ),
    Row(
        "media/signed/<path:name>",
        "/media/signed/videos/hls/x/master.m3u8?expires=1&signature=0",
        everyone(404),
        note="local storage files behind a signed URL that lasts minutes; 403 once"
        " expired, 404 for a wrong signature or a name outside videos/hls/",
    ),
    Row(
        "media/images/<str:name>",
        "/media/images/{image_rendition}",
        everyone(200),
        note="Wagtail image renditions (pages and rich text) from the local storage; only"
        " raster images inside images/, tests/cms/test_rendition_file.py",
    ),
    Row(
        "media/images/<str:name>",
        "/media/images/..%2f{document_storage_name}",
        everyone(404),
    ),
    Row(
        "admin/videos/",
        "/admin/videos/",
        admin_area(200),
        note="lecture videos are shared by every center; all center staff manage them",
    ),
    Row("admin/videos/upload/", "/admin/videos/upload/", admin_area(200)),
    Row(
        "admin/videos/<uuid:asset_id>/",
        "/admin/videos/{asset_id}/",
        admin_area(200),
    ),
    Row(
        "admin/videos/<uuid:asset_id>/reprocess/",
        "/admin/videos/00000000-0000-0000-0000-000000000000/reprocess/",
        admin_area(404),
        method="POST",
        note="an unknown asset: reprocessing the fixture's would change it",
    ),
    Row(
        "admin/videos/<uuid:asset_id>/delete/",
        "/admin/videos/00000000-0000-0000-0000-000000000000/delete/",
        admin_area(404),
        method="POST",
        note="an unknown asset: deleting the fixture's would break later rows",
    ),
    Row("admin/video_chooser/", "/admin/video_chooser/", admin_area(200), prefix=True),
    Row("admin/learning/", "/admin/learning/", admin_area(200)),
    Row(
        "admin/learning/courses/<int:course_id>/learners/",
        "/admin/learning/courses/{course_id}/learners/",
        {**admin_area(200), STAFF_OTHER: 404},
        note="online learners are the metropolitan center's: 404 to a regional center",
    ),
    Row(
        "admin/learning/courses/<int:course_id>/learners/export/",
        "/admin/learning/courses/{course_id}/learners/export/",
        {**admin_area(302), STAFF_OTHER: 404},
        method="POST",
        note="without a reason the export is refused (back to the list)",
    ),
    Row(
        "admin/learning/certificates/<int:certificate_id>/revoke/",
        "/admin/learning/certificates/{certificate_id}/revoke/",
        {**admin_area(302), STAFF_OTHER: 404},
        method="POST",
        note="without a reason nothing is revoked (back to the list)",
    ),
    Row("admin/outreach/", "/admin/outreach/", admin_area(200)),
    Row(
        "admin/outreach/batch/",
        "/admin/outreach/batch/",
        admin_area(405),
        note="POST only",
    ),
    Row(
        "admin/outreach/<int:pk>/",
        "/admin/outreach/{request_id}/",
        {**admin_area(200), STAFF_OTHER: 404},
        note="a request of another center answers 404 to its staff",
    ),
    Row("admin/outreach/materials/", "/admin/outreach/materials/", admin_area(200)),
    Row("admin/outreach/payouts/", "/admin/outreach/payouts/", admin_area(200)),
    Row("admin/trainers/", "/admin/trainers/", admin_area(200), prefix=True),
    Row(
        "admin/trainer-qualifications/",
        "/admin/trainer-qualifications/",
        admin_area(200),
        prefix=True,
    ),
    Row(
        "admin/trainer-refreshers/",
        "/admin/trainer-refreshers/",
        admin_area(200),
        prefix=True,
    ),
    Row(
        "admin/trainer-conflicts/",
        "/admin/trainer-conflicts/",
        admin_area(200),
        prefix=True,
    ),
    Row("admin/topics/", "/admin/topics/", admin_area(200), prefix=True),
    # Online learning pages.
    Row("my/", "/my/", signed_in(200)),
    Row(
        "my/courses/<int:course_id>/enroll/",
        "/my/courses/999999/enroll/",
        signed_in(404),
        method="POST",
        note="an unknown course; enrolling in the fixture course would change it",
    ),
    Row(
        "my/courses/<int:course_id>/test/",
        "/my/courses/{course_id}/test/",
        {**signed_in(404), LEARNER: 302},
        note="only the enrolled learner takes the test, once the lessons are complete"
        " (the matrix's learner has watched none: back to the course page)",
    ),
    Row(
        "my/courses/<int:course_id>/test/<int:attempt_id>/",
        "/my/courses/{course_id}/test/999999/",
        signed_in(404),
        note="a result of one's own submitted attempt only; tests/lms/learning/"
        "test_course_test_pages.py",
    ),
    Row(
        "my/courses/<int:course_id>/survey/",
        "/my/courses/{course_id}/survey/",
        {**signed_in(404), LEARNER: 302},
    ),
    Row(
        "my/certificates/<str:number>.pdf",
        "/my/certificates/{certificate_number}.pdf",
        {**signed_in(404), LEARNER: 200},
    ),
    Row(
        "my/lessons/<int:lesson_id>/beacon/",
        "/my/lessons/999999/beacon/",
        signed_in(404),
        method="POST",
    ),
    Row(
        "certificates/verify/",
        "/certificates/verify/",
        everyone(200),
        note="public form to type a certificate's number into",
    ),
    Row(
        "certificates/verify/<str:number>",
        "/certificates/verify/{certificate_number}",
        everyone(200),
        note="public check of a certificate (the name masked)",
    ),
    # Outreach pages.
    Row("outreach/apply/", "/outreach/apply/", everyone(200)),
    Row(
        "outreach/requests/<uuid:token>/",
        "/outreach/requests/{request_token}/",
        everyone(200),
        note="the follow-up link mailed to the applicant: the token is the key",
    ),
    Row("outreach/my/", "/outreach/my/", {**signed_in(404), ORG: 200}),
    Row("outreach/trainer/", "/outreach/trainer/", {**signed_in(404), TRAINER: 200}),
    Row(
        "outreach/trainer/action/",
        "/outreach/trainer/action/",
        {**signed_in(405)},
        note="POST only",
    ),
    Row(
        "outreach/trainer/offers/<int:offer_id>/decline/",
        "/outreach/trainer/offers/{other_offer_id}/decline/",
        signed_in(404),
        note="the confirmation page of the trainer's own waiting offer only",
    ),
    Row(
        "outreach/survey/<uuid:token>/",
        "/outreach/survey/00000000-0000-0000-0000-000000000000/",
        everyone(404),
    ),
    Row(
        "outreach/survey/<uuid:token>/qr.svg",
        "/outreach/survey/00000000-0000-0000-0000-000000000000/qr.svg",
        everyone(404),
    ),
    Row(
        "outreach/requests/<uuid:token>/survey-sheet/",
        "/outreach/requests/{request_token}/survey-sheet/",
        everyone(404),
        note="the follow-up token is the key; 404 until the request has a session",
    ),
    Row(
        "outreach/trainer/sessions/<int:session_id>/survey-sheet/",
        "/outreach/trainer/sessions/999999/survey-sheet/",
        signed_in(404),
        note="the session's own trainer only (tests/security/test_row06_*)",
    ),
    # Teaching materials: only through a short-lived link made out to its holder.
    Row(
        "trainers/materials/<str:token>/",
        "/trainers/materials/not-a-signed-link/",
        everyone(404),
        note="who gets 200 with a real link: tests/security/test_row02_materials.py",
    ),
]

API_ROWS += [
    # Video pipeline: center staff (every center) and superusers.
    Row(
        "POST /api/v1/media/uploads",
        "/api/v1/media/uploads",
        signed_in(422, anonymous=401),
        method="POST",
        data={},
        note="an empty body (validated before the staff check): nothing is made",
    ),
    Row(
        "GET /api/v1/media/uploads/{asset_id}",
        "/api/v1/media/uploads/{asset_id}",
        {**everyone(404), ANON: 401, STAFF: 200, STAFF_OTHER: 200, SUPER: 200},
    ),
    Row(
        "POST /api/v1/media/uploads/{asset_id}/parts/{part_number}/url",
        "/api/v1/media/uploads/{asset_id}/parts/1/url",
        {**everyone(404), ANON: 401, STAFF: 409, STAFF_OTHER: 409, SUPER: 409},
        method="POST",
    ),
    Row(
        "PUT /api/v1/media/uploads/{asset_id}/parts/{part_number}",
        "/api/v1/media/uploads/{asset_id}/parts/1",
        {**everyone(404), ANON: 401, STAFF: 409, STAFF_OTHER: 409, SUPER: 409},
        method="PUT",
    ),
    Row(
        "POST /api/v1/media/uploads/{asset_id}/complete",
        "/api/v1/media/uploads/{asset_id}/complete",
        {**everyone(404), ANON: 401, STAFF: 409, STAFF_OTHER: 409, SUPER: 409},
        method="POST",
    ),
    Row(
        "GET /api/v1/media/assets/{asset_id}",
        "/api/v1/media/assets/{asset_id}",
        {**everyone(404), ANON: 401, STAFF: 200, STAFF_OTHER: 200, SUPER: 200},
    ),
    # Online learning.
    Row("GET /api/v1/courses", "/api/v1/courses", everyone(200)),
    Row(
        "GET /api/v1/courses/{course_id}", "/api/v1/courses/{course_id}", everyone(200)
    ),
    Row(
        "POST /api/v1/courses/{course_id}/enrollment",
        "/api/v1/courses/999999/enrollment",
        signed_in(404, anonymous=401),
        method="POST",
        note="an unknown course: enrolling would change the fixture",
    ),
    Row(
        "POST /api/v1/lessons/{lesson_id}/heartbeats",
        "/api/v1/lessons/999999/heartbeats",
        signed_in(422, anonymous=401),
        method="POST",
        data={},
    ),
    Row(
        "GET /api/v1/me/courses/{course_id}/progress",
        "/api/v1/me/courses/{course_id}/progress",
        owner_only(LEARNER),
        note="progress is the caller's own: others are not enrolled",
    ),
    Row(
        "POST /api/v1/courses/{course_id}/survey",
        "/api/v1/courses/{course_id}/survey",
        owner_only(LEARNER, 409),
        method="POST",
        note="the enrolled learner only, once the lessons are complete (409 before)",
        data={"score": 5, "comment": ""},
    ),
    # Outreach.
    Row(
        "POST /api/v1/outreach/requests",
        "/api/v1/outreach/requests",
        everyone(422),
        method="POST",
        data={},
        note="open to everyone; an empty body makes nothing",
    ),
    Row(
        "GET /api/v1/outreach/requests",
        "/api/v1/outreach/requests",
        {
            **everyone(403),
            ANON: 401,
            ORG: 200,
            STAFF: 200,
            STAFF_OTHER: 200,
            SUPER: 200,
        },
    ),
    Row(
        "GET /api/v1/outreach/requests/{request_id}",
        "/api/v1/outreach/requests/{request_id}",
        {**staff_of_owner(200), ORG: 200},
    ),
    Row(
        "GET /api/v1/outreach/requests/{request_id}",
        "/api/v1/outreach/requests/{foreign_request_id}",
        staff_of_owner(200),
        note="a request of another organization: 404 to the org contact",
    ),
    Row(
        "GET /api/v1/outreach/requests/{request_id}/candidates",
        "/api/v1/outreach/requests/{approved_request_id}/candidates",
        staff_of_owner(200),
    ),
    Row(
        "POST /api/v1/outreach/requests/{request_id}/transitions",
        "/api/v1/outreach/requests/{request_id}/transitions",
        {**staff_of_owner(409)},
        method="POST",
        data={"to": "submitted"},
        note="a transition that is not allowed: nothing changes",
    ),
    Row(
        "POST /api/v1/outreach/requests/{request_id}/offers",
        "/api/v1/outreach/requests/{request_id}/offers",
        staff_of_owner(404),
        method="POST",
        data={"trainer_id": 999999},
        note="an unknown trainer: no offer is made",
    ),
    Row(
        "GET /api/v1/outreach/offers",
        "/api/v1/outreach/offers",
        signed_in(200, anonymous=401),
        note="each caller sees only their own offers",
    ),
    Row(
        "POST /api/v1/outreach/offers/{offer_id}/decline",
        "/api/v1/outreach/offers/{other_offer_id}/decline",
        signed_in(404, anonymous=401),
        method="POST",
        data={"reason": "matrix"},
        note="an offer of another trainer of the pool",
    ),
    Row(
        "POST /api/v1/outreach/offers/{offer_id}/accept",
        "/api/v1/outreach/offers/{offer_id}/accept",
        owner_only(TRAINER),
        method="POST",
    ),
    Row(
        "POST /api/v1/outreach/sessions/{session_id}/attendance",
        "/api/v1/outreach/sessions/999999/attendance",
        signed_in(404, anonymous=401),
        method="POST",
        data={"attendees": 10},
    ),
    Row(
        "POST /api/v1/outreach/sessions/{session_id}/attendance/confirmation",
        "/api/v1/outreach/sessions/999999/attendance/confirmation",
        signed_in(404, anonymous=401),
        method="POST",
        data={"attendees": 10},
    ),
    Row(
        "POST /api/v1/outreach/sessions/{session_id}/report",
        "/api/v1/outreach/sessions/999999/report",
        signed_in(404, anonymous=401),
        method="POST",
        data={"report": "matrix"},
    ),
    Row(
        "GET /api/v1/outreach/payouts.xlsx",
        "/api/v1/outreach/payouts.xlsx?year=2026&month=1&reason=matrix-check",
        {**everyone(403), ANON: 401, STAFF: 200, STAFF_OTHER: 200, SUPER: 200},
    ),
]

# --- Organization portal (lms.organizations) ------------------------------------------
# The `org` contact's own assignment (seed_demo) answers 200 to it alone; another
# organization's assignment answers 404 even to a contact. Pages: 404 to other roles.
ORG_PAGE = {**signed_in(404), ORG: 200}
ORG_API = {**everyone(403), ANON: 401, ORG: 200}
PAGE_ROWS += [
    Row("org/", "/org/", ORG_PAGE),
    Row("org/invitations/csv/", "/org/invitations/csv/", ORG_PAGE),
    Row(
        "org/assignments/",
        "/org/assignments/",
        signed_in(405),
        note="POST only (the form on /org/)",
    ),
    Row(
        "org/assignments/<int:pk>/",
        "/org/assignments/{org_assignment_id}/",
        ORG_PAGE,
    ),
    Row(
        "org/assignments/<int:pk>/",
        "/org/assignments/{foreign_assignment_id}/",
        signed_in(404),
        note="another organization's assignment: 404 to the org contact too",
    ),
    Row(
        "org/assignments/<int:pk>/remind/",
        "/org/assignments/{org_assignment_id}/remind/",
        {**signed_in(404), ORG: 302},
        method="POST",
    ),
    Row(
        "org/assignments/<int:pk>/remind/",
        "/org/assignments/{foreign_assignment_id}/remind/",
        signed_in(404),
        method="POST",
    ),
    Row(
        "org/assignments/<int:pk>/evidence/",
        "/org/assignments/{org_assignment_id}/evidence/",
        ORG_PAGE,
        method="POST",
        data={"reason": "노동청 점검 제출용"},
    ),
    Row(
        "org/assignments/<int:pk>/evidence/",
        "/org/assignments/{foreign_assignment_id}/evidence/",
        signed_in(404),
        method="POST",
        data={"reason": "노동청 점검 제출용"},
    ),
    Row(
        "org/join/<str:token>/",
        "/org/join/{invitation_token}/",
        everyone(200),
        note="the invitation link: the token is the key; joining needs a POST",
    ),
]

API_ROWS += [
    Row("GET /api/v1/org/employees", "/api/v1/org/employees", ORG_API),
    Row("GET /api/v1/org/assignments", "/api/v1/org/assignments", ORG_API),
    Row(
        "POST /api/v1/org/assignments",
        "/api/v1/org/assignments",
        {**ORG_API, ORG: 404},
        method="POST",
        data={"course_id": 999999, "deadline": f"{_THIS_YEAR}-12-31"},
        note="no such course: 404 to the contact (creating: tests/lms/organizations)",
    ),
    Row(
        "GET /api/v1/org/assignments/{assignment_id}/progress",
        "/api/v1/org/assignments/{org_assignment_id}/progress",
        ORG_API,
    ),
    Row(
        "GET /api/v1/org/assignments/{assignment_id}/progress",
        "/api/v1/org/assignments/{foreign_assignment_id}/progress",
        {**ORG_API, ORG: 404},
    ),
    Row(
        "POST /api/v1/org/assignments/{assignment_id}/reminders",
        "/api/v1/org/assignments/{org_assignment_id}/reminders",
        ORG_API,
        method="POST",
    ),
    Row(
        "POST /api/v1/org/assignments/{assignment_id}/evidence",
        "/api/v1/org/assignments/{org_assignment_id}/evidence",
        ORG_API,
        method="POST",
        data={"reason": "노동청 점검 제출용"},
    ),
    Row(
        "POST /api/v1/org/assignments/{assignment_id}/evidence",
        "/api/v1/org/assignments/{foreign_assignment_id}/evidence",
        {**ORG_API, ORG: 404},
        method="POST",
        data={"reason": "노동청 점검 제출용"},
    ),
]

# --- Education reports (lms.reports) -------------------------------------------------
# Staff only. `staff` (metropolitan) sees every center; `staff_other` (동북권) sees its
# own center when it names none, and 404 for another center (the org's requests' one).
REPORT_API = {**everyone(403), ANON: 401, STAFF: 200, STAFF_OTHER: 200, SUPER: 200}
API_ROWS += [
    Row(
        "GET /api/v1/reports/education",
        "/api/v1/reports/education?year=2026",
        REPORT_API,
    ),
    Row(
        "GET /api/v1/reports/education",
        "/api/v1/reports/education?year=2026&center={request_center_id}",
        {**REPORT_API, STAFF_OTHER: 404},
        note="another center's figures answer 404 to a regional center's staff",
    ),
    Row(
        "GET /api/v1/reports/education.xlsx",
        "/api/v1/reports/education.xlsx?year=2026",
        REPORT_API,
    ),
    Row(
        "GET /api/v1/reports/education.xlsx",
        "/api/v1/reports/education.xlsx?year=2026&center={request_center_id}",
        {**REPORT_API, STAFF_OTHER: 404},
    ),
]
PAGE_ROWS += [
    Row(
        "admin/reports/education/",
        "/admin/reports/education/?year=2026",
        admin_area(200),
    ),
    Row(
        "admin/reports/education/",
        "/admin/reports/education/?year=2026&center={request_center_id}",
        {**admin_area(200), STAFF_OTHER: 404},
        note="another center's dashboard answers 404 to a regional center's staff",
    ),
]
PAGE_ROWS += [
    Row(
        "admin/audit/",
        "/admin/audit/",
        {**admin_area(200), STAFF_OTHER: 302},
        note="the audit trail: superusers and the metropolitan center's staff",
    ),
]
PAGE_ROWS += [
    Row(
        "admin/records/",
        "/admin/records/?verify=1",
        {**admin_area(200), STAFF_OTHER: 302},
        note="training record chains and their verification: as the audit trail",
    ),
    Row(
        "admin/privacy/access-review/",
        "/admin/privacy/access-review/?month=2026-10",
        {**admin_area(200), STAFF_OTHER: 302},
        note="the monthly access-log review: the metropolitan center's privacy officer",
    ),
]
