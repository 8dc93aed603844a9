"""The API's shared behaviour: health, problem+json errors and the OpenAPI contract."""

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "openapi.snapshot.json"


def test_health_reports_every_part_ok(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "storage", "ffmpeg"}
    assert all(part["ok"] for part in body["checks"].values()), body
    # Anyone may ask; only operators learn versions and where ffmpeg came from.
    assert {part["detail"] for part in body["checks"].values()} == {"ok"}


def test_health_names_the_ffmpeg_in_use_and_its_source_to_operators(client):
    from media_pipeline.ffmpeg import media_tools
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True))
    body = client.get("/api/v1/health").json()

    tools = media_tools()
    assert body["checks"]["ffmpeg"]["detail"].endswith(f"({tools.source})")
    assert (
        body["checks"]["ffmpeg"]["detail"][0].isdigit()
        or "n" in (body["checks"]["ffmpeg"]["detail"])
    )


def test_health_answers_503_and_names_the_broken_part(client, settings):
    # A storage that cannot be written: a real filesystem path nobody can create.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/proc/health-cannot-write"},
        },
    }

    response = client.get("/api/v1/health")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_validation_error_is_problem_json_listing_fields(client):
    response = client.post(
        "/api/v1/auth/token", {"username": ""}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert {error["field"] for error in body["errors"]} == {"username", "password"}


def test_malformed_json_is_a_problem_not_a_crash(client):
    response = client.post(
        "/api/v1/auth/token", "{not json", content_type="application/json"
    )

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_api_path_is_a_404(client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_docs_page_is_served(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_openapi_matches_the_reviewed_snapshot(client):
    """Contract changes show in review: update with UPDATE_SNAPSHOTS=1 and commit the diff."""
    document = client.get("/api/v1/openapi.json").json()
    rendered = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert rendered == SNAPSHOT.read_text(encoding="utf-8")
    assert "/api/v1/health" in document["paths"]
    assert "/api/v1/auth/token" in document["paths"]


def test_openapi_document_has_no_duplicate_keys(client):
    # ninja keys its answers by int and our problem documentation by str; a JSON object
    # with "404" twice breaks Swagger UI's parser.
    duplicates = []

    def collect(pairs):
        keys = [key for key, _value in pairs]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=collect)

    assert duplicates == []
