"""The one NinjaAPI of the product, mounted at /api/v1/. Each app contributes a Router."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from config.edge import StrictJSONParser
from config.health import router as health_router
from core.problems import NotFound, install_problem_handlers, render_problem
from lms.accounts.api import router as accounts_router
from lms.learning.api import router as learning_router
from lms.organizations.api import router as organizations_router
from lms.outreach.api import router as outreach_router
from lms.privacy.api import router as privacy_router
from lms.reports.api import router as reports_router
from media_pipeline.api import router as media_router

PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; validation errors add `errors`.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    # null when the whole body is missing or not an object.
                    "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "message": {"type": "string"},
                    "code": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                },
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
PROBLEM_CONTENT = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
}


def document_problems(schema: dict) -> dict:
    """Every error answer is problem+json; every operation documents the errors any
    operation can give: 422 for input it cannot parse, 401 where it needs a login."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        PROBLEM_SCHEMA
    )
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            # ninja keys its own answers by int; JSON would then hold "404" twice.
            responses = {
                str(status): response
                for status, response in operation.get("responses", {}).items()
            }
            operation["responses"] = responses
            takes_input = operation.get("parameters") or operation.get("requestBody")
            extra = {"422": "입력값 오류"} if takes_input else {}
            if takes_input:
                extra["400"] = "읽을 수 없는 요청, 또는 규칙에 맞지 않는 값"
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                extra["404"] = "없는 대상, 또는 다른 사용자·기관의 대상"
            if operation.get("security"):
                extra["401"] = "로그인 필요"
                extra["403"] = "권한 없음, 또는 세션 쿠키에 CSRF 토큰이 없음"
            for status, description in extra.items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if int(status) >= 400 and _is_problem(response):
                    response["content"] = PROBLEM_CONTENT
    return schema


def _is_problem(response: dict) -> bool:
    """No body documented yet, or one of the routers' ProblemOut schemas."""
    content = response.get("content")
    if not content:
        return True
    refs = [media.get("schema", {}).get("$ref", "") for media in content.values()]
    return all(ref.endswith("ProblemOut") or ref.endswith("/Problem") for ref in refs)


class ProductAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_problems(super().get_openapi_schema(**kwargs))


api = ProductAPI(
    title="서울노동아카데미 API",
    version="1",
    description="Seoul Labor Academy LMS. Errors are application/problem+json.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StrictJSONParser(),
)
install_problem_handlers(api)

api.add_router("", health_router)
api.add_router("/auth", accounts_router)
api.add_router("/media", media_router)
api.add_router("", learning_router)
api.add_router("/outreach", outreach_router)
api.add_router("/privacy", privacy_router)
api.add_router("/org", organizations_router)
api.add_router("/reports", reports_router)


@csrf_exempt
def api_not_found(request: HttpRequest) -> HttpResponse:
    # csrf_exempt: a POST to an unknown path is a 404 too, not CSRF's 403 HTML page.
    return render_problem(
        NotFound("요청한 API 경로가 없습니다. /api/v1/docs 에서 확인해 주세요.")
    )
