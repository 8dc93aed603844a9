"""`/api/v1/` operations of learning."""

from ninja import Router

router = Router(tags=["learning"])
