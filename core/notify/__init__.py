"""Notifications (DESIGN §6): an outbox written in the business transaction, delivered by a worker.

    from core.kit import notify
    notify(tenant, "sms", "0812-3456-7890", "Your complaint 2026/17 is resolved.", ref="complaints:17")
"""
from . import service as _service  # noqa: F401  (queues delivery after commit)
from .delivery import backoff, deliver, due_messages, sweep
from .models import CHANNELS, FAILED, PENDING, SENT, OutboxMessage
from .providers import (
    DeliveryError, Outgoing, clear_console, console_messages, provider_for, register_provider,
)
from .service import normalise_email, notify

__all__ = [
    "CHANNELS", "DeliveryError", "FAILED", "OutboxMessage", "Outgoing", "PENDING", "SENT", "backoff",
    "clear_console", "console_messages", "deliver", "due_messages", "normalise_email", "notify",
    "provider_for", "register_provider", "sweep",
]
