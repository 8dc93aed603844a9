"""`/api/v1/` operations of outreach."""

from ninja import Router

router = Router(tags=["outreach"])
