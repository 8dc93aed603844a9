"""The one NinjaAPI of the product, mounted at /api/v1/. Each app contributes a Router."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from config.health import router as health_router
from config.problems import NotFound, install_problem_handlers, render_problem
from lms.accounts.api import router as accounts_router
from lms.learning.api import router as learning_router
from lms.outreach.api import router as outreach_router
from lms.privacy.api import router as privacy_router
from lms.surveys.api import router as surveys_router
from lms.trainers.api import router as trainers_router
from media_pipeline.api import router as media_router

api = NinjaAPI(
    title="서울노동아카데미 API",
    version="1",
    description="Seoul Labor Academy LMS. Errors are application/problem+json.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api)

api.add_router("", health_router)
api.add_router("/auth", accounts_router)
api.add_router("/media", media_router)
api.add_router("", learning_router)
api.add_router("/surveys", surveys_router)
api.add_router("/trainers", trainers_router)
api.add_router("/outreach", outreach_router)
api.add_router("/privacy", privacy_router)


def api_not_found(request: HttpRequest) -> HttpResponse:
    return render_problem(
        NotFound("요청한 API 경로가 없습니다. /api/v1/docs 에서 확인해 주세요.")
    )
