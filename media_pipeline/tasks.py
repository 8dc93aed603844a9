"""Celery tasks of the video pipeline: thin wrappers that take primary keys."""

from celery import shared_task
from django.conf import settings

from media_pipeline import services


@shared_task(
    name="media_pipeline.process_asset",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=4 * 60 * 60,
    soft_time_limit=4 * 60 * 60 - 60,
    max_retries=None,
)
def process_asset(self, asset_id: str) -> str:
    outcome = services.asset_process(asset_id=asset_id)
    if outcome == services.Outcome.BUSY:
        # Another delivery holds a live lease; look again when it would have lapsed.
        raise self.retry(countdown=settings.VIDEO_LEASE_SECONDS + 1)
    return outcome


@shared_task(name="media_pipeline.sweep_stuck_assets", acks_late=True, time_limit=300)
def sweep_stuck_assets() -> dict:
    return services.assets_sweep_stuck()
