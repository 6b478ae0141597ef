"""Rate limits on the anonymous intake doors (the form, the chat webhook, Open311 POST), per tenant
and client address; ``PAMONG_COMPLAINTS_RATE`` in the app's config overrides the default."""
from flask import current_app, g
from flask_limiter.util import get_remote_address

from core.kit import limiter

DEFAULT = "20 per minute;300 per day"


def _key() -> str:
    tenant = getattr(g, "tenant", None)
    return f"complaints:{tenant.slug if tenant is not None else '-'}:{get_remote_address()}"


def intake_limit():
    """Decorator: limit POSTs of one client to one tenant's intake."""
    return limiter.limit(lambda: current_app.config.get("PAMONG_COMPLAINTS_RATE", DEFAULT), key_func=_key,
                         methods=["POST"])
