"""Celery tasks of the video pipeline: thin wrappers that take primary keys.

A chunked run is a Celery group with a callback: `process_asset` probes and plans, one
`encode_window` per window (and one for the audio) runs on any worker, and the job that
finishes last queues `join_windows`, counted in the database rather than in a result
backend, so it works on every broker and survives a redelivered or redone window.

Every task states both of its time limits, the soft one below the hard one: a task with
only a hard limit under the global soft limit (CELERY_TASK_SOFT_TIME_LIMIT) is refused
by the worker before it runs.
"""

from celery import shared_task
from django.conf import settings

from media_pipeline import services

_LONG = 4 * 60 * 60
#: An encoding task: acknowledged when done, handed to another worker when its own
#: dies, retried while another delivery holds a live lease.
_ENCODING = dict(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=_LONG,
    soft_time_limit=_LONG - 60,
    max_retries=None,
)


@shared_task(name="media_pipeline.process_asset", **_ENCODING)
def process_asset(self, asset_id: str) -> str:
    outcome = services.asset_process(asset_id=asset_id)
    if outcome == services.Outcome.BUSY:
        # Another delivery holds a live lease; look again when it would have lapsed.
        raise self.retry(countdown=settings.VIDEO_LEASE_SECONDS + 1)
    return outcome


@shared_task(name="media_pipeline.encode_window", **_ENCODING)
def encode_window(self, job_id: int) -> str:
    outcome = services.job_run(job_id=job_id)
    if outcome == services.Outcome.BUSY:
        raise self.retry(countdown=settings.VIDEO_LEASE_SECONDS + 1)
    return outcome


@shared_task(
    name="media_pipeline.join_windows",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
)
def join_windows(asset_id: str, run_id: str) -> str:
    return services.join_run(asset_id=asset_id, run_id=run_id)


@shared_task(
    name="media_pipeline.sweep_stuck_assets",
    acks_late=True,
    # Both limits: the global soft limit (55 min) above a 300 s hard one made Celery
    # refuse every run of this task.
    soft_time_limit=240,
    time_limit=300,
)
def sweep_stuck_assets() -> dict:
    return services.assets_sweep_stuck()
