"""The one facade modules import from (DESIGN §2). Everything else in the core may move.

    from core.kit import hookimpl, db, TenantOwned, requires, public, audit, ...
"""
from flask_babel import gettext, lazy_gettext, ngettext

from .api.auth import api_error, api_scope
from .audit import record as audit
from .auth.models import User
from .auth.next_url import safe_next
from .proxy import public_root
from .auth.permissions import has_permission, public, requires, signed_in
from .auth.service import agencies_of, members_of, token_for
from .errors import NotFound, PamongError, ValidationError
from .events import publish
from .extensions import db, limiter
from .hookspecs import hookimpl
from .i18n import local_datetime, module_domain, rupiah
from .jobs import periodic, task
from .crypto import EncryptedText, keyed_hash
from .notify import normalise_email, notify
from .sms.phone import normalise_phone
from .storage import storage
from .settings import module_settings
from .tenancy.models import OrgUnit, Tenant, utcnow
from .tenancy.scope import TenantOwned, current_scope, read_scope, tenant_scope
from .tenancy.service import enabled_modules
from .tenancy.resolve import deployment_wide
from .calendar import WorkingCalendar, calendar_of
from .sms.signature import SignatureError, sign as sign_webhook, verify as verify_webhook

__all__ = [
    "OrgUnit", "NotFound", "PamongError", "Tenant", "TenantOwned", "User", "ValidationError",
    "api_error", "api_scope", "audit", "current_scope", "db", "gettext", "has_permission", "hookimpl",
    "lazy_gettext", "local_datetime", "module_domain", "module_settings", "ngettext", "periodic",
    "public", "read_scope", "requires", "rupiah", "signed_in", "task", "tenant_scope", "utcnow",
    # core services (notifications, SMS, storage, personal data)
    "EncryptedText", "keyed_hash", "normalise_phone", "notify", "storage",
    # accounts, tenants and signed webhooks (added for the complaints module)
    "agencies_of", "enabled_modules", "limiter", "members_of", "normalise_email", "token_for",
    "SignatureError", "sign_webhook", "verify_webhook",
    # domain events between modules
    "publish",
    # working days per tenant; routes that find their tenant from a parameter (Open311's jurisdiction_id)
    "WorkingCalendar", "calendar_of", "deployment_wide",
    # redirects to a target taken from user input; this deployment's public address (not the Host header)
    "safe_next", "public_root",
]
