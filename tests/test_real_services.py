"""The real servers the product runs on in production, over real connections.

Each test skips when its service is not configured, and fails instead under
REQUIRE_SERVICES=1 (what `.ci/run` sets), so CI cannot pass by skipping.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction

from lms.accounts.models import User
from tests.conftest import require_service

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_postgresql_is_the_database_and_row_locks_block_a_second_connection():
    require_service("DATABASE_URL", "the PostgreSQL test")
    assert connection.vendor == "postgresql"
    user = User.objects.create(username="locked", email="locked@example.org")

    blocked = threading.Event()
    outcome: dict[str, str] = {}

    def second_connection():
        try:
            with transaction.atomic():
                try:
                    User.objects.select_for_update(nowait=True).get(pk=user.pk)
                    outcome["second"] = "got the row"
                except Exception as exc:  # noqa: BLE001 - the lock error is the point
                    outcome["second"] = type(exc).__name__
        finally:
            blocked.set()
            connections.close_all()

    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        thread = threading.Thread(target=second_connection)
        thread.start()
        blocked.wait(10)
    thread.join(10)

    assert outcome["second"] == "OperationalError"


def test_redis_is_the_cache_and_holds_values_across_clients():
    redis_url = require_service("REDIS_URL", "the Redis cache test")
    import redis
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    key = f"probe-{uuid.uuid4().hex}"
    cache.set(key, {"answer": 42}, timeout=30)

    raw = redis.Redis.from_url(redis_url)
    stored = [k for k in raw.scan_iter(match=f"*{key}*")]
    assert len(stored) == 1
    assert cache.get(key) == {"answer": 42}
    cache.delete(key)
    assert raw.exists(stored[0]) == 0


def test_s3_storage_writes_objects_another_client_reads():
    endpoint = require_service("AWS_S3_ENDPOINT_URL", "the S3 storage test")
    bucket = require_service("AWS_STORAGE_BUCKET_NAME", "the S3 storage test")
    import boto3

    payload = "수료증 원본 ".encode() * 1000
    name = default_storage.save(f"probe/{uuid.uuid4().hex}.bin", ContentFile(payload))
    try:
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
            aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
            region_name=settings.AWS_S3_REGION_NAME,
        )
        obj = s3.get_object(Bucket=bucket, Key=name)
        assert obj["Body"].read() == payload
        assert default_storage.size(name) == len(payload)
        assert default_storage.url(name).startswith(endpoint)
    finally:
        default_storage.delete(name)
    assert not default_storage.exists(name)


def test_broker_is_the_configured_server():
    broker = require_service("CELERY_BROKER_URL", "the broker test")
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2, timeout=5)
        assert conn.transport.driver_type in {"redis", "amqp"}
    assert settings.CELERY_BROKER_URL == broker
