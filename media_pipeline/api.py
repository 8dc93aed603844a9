"""`/api/v1/media/` operations: video assets and their uploads."""

from ninja import Router

router = Router(tags=["media"])
