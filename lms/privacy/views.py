"""Pages of privacy outside the Wagtail page tree."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.problems import PermissionDenied, Unauthenticated, render_problem
from lms.privacy.middleware import is_timed_user, session_touch


@require_POST
def session_extend(request: HttpRequest):
    """The admin's 'extend' button: the middleware already marked this request active."""
    if not request.user.is_authenticated:
        return render_problem(Unauthenticated())
    if not is_timed_user(request.user):
        return render_problem(PermissionDenied(_("직원 세션만 연장할 수 있습니다.")))
    return JsonResponse(
        {
            "expires_in": session_touch(request),
            "warning_before": settings.STAFF_IDLE_WARNING_SECONDS,
        }
    )
