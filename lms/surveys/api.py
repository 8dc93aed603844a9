"""`/api/v1/` operations of surveys."""

from ninja import Router

router = Router(tags=["surveys"])
