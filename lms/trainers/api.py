"""`/api/v1/` operations of trainers."""

from ninja import Router

router = Router(tags=["trainers"])
