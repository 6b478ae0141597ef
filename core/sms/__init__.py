"""SMS: Indonesian phone numbers, and inbound SMS routed by keyword to the modules (DESIGN §6).

``service`` (routing, replies through the outbox) and ``views`` (the webhook) are imported where
used, so that ``core.notify`` may use ``normalise_phone`` without an import cycle.
"""
from .models import InboundSms
from .phone import normalise_phone
from ..webhooks import sign, verify

__all__ = ["InboundSms", "normalise_phone", "sign", "verify"]
