"""The one facade modules import from (DESIGN §2). Everything else in the core may move.

    from core.kit import hookimpl, db, TenantOwned, requires, public, audit, ...
"""
from flask_babel import gettext, lazy_gettext, ngettext

from .api.auth import api_error, api_scope
from .audit import record as audit
from .auth.models import User
from .auth.next_url import safe_next
from .proxy import public_root
from .links import tenant_base_url, tenant_url
from .auth.permissions import csrf_exempt, has_permission, public, requires, signed_in
from .auth.service import agencies_of, contact_of, member_ids_by_agency, members_of, token_for, token_named
from .auth.official import official_identity  # {"name", "nip", "rank"} for a signature block
from .errors import NotFound, PamongError, Problems, ValidationError, api_message, join_problems, raise_all
from .form_messages import put_on_form  # a service's problems on a form's fields
from .events import publish
from .extensions import db, limiter
from .hookspecs import hookimpl
from .i18n import datetime_formatter, local_datetime, module_domain, rupiah
from .i18n import local_decimal, local_number, local_percent  # figures as the reader's language writes them
from .i18n import local_iso  # ISO 8601 in the tenant's offset, for JSON and CSV (issue 20.6)
from .i18n import month_axis, month_name  # "Des 2026" / a chart's "Des" with the year under January
from .tenancy.zones import zone_name  # "WITA" beside a time written in the tenant's zone
from .jobs import periodic, task
from .locking import for_change, read_snapshot, write_lock, write_transaction, writing
from .params import (
    OutOfBounds, ParameterError, check_datetime, date_arg, declare_datetime, float_arg, int_arg, lat_arg, lon_arg,
    month_arg, page_arg, parse_date, parse_float, parse_int, parse_month,
)
from .crypto import EncryptedText, keyed_hash
from . import documents
from .notify import normalise_email, notify
from .notify import tenant_post  # messages to another tenant of the deployment, through the outbox
from .notify.models import OutboxMessage  # a module that sends a secret by SMS redacts its stored copy once sent
from .sms.phone import normalise_phone
from .storage import storage
from .settings import module_settings, reference_errors  # a setting naming an org unit or position it lacks
from .tenancy.service import change_module_settings as _change_module_settings  # wrapped below
from .tenant_secrets import resolve as tenant_secret
from .tenancy.models import OrgUnit, Tenant, utcnow
from .tenancy.scope import TenantOwned, current_scope, read_scope, tenant_ref, tenant_scope, within_tenant
from .tenancy.key_check import key_violations
from .tenancy.keys import create_tenant_table, rekey_tenant_tables, tenant_fk, tenant_reference, unkey_tenant_tables
from .tenancy.service import enabled_modules
from .tenancy.config_cache import may_keep, org_units  # a tenant's units from memory (issue 11.2)
from .tenancy.resolve import deployment_wide
from .calendar import WorkingCalendar, calendar_of
from . import sla
from . import approvals
from .approvals import ApprovalError
from .tenancy.positions import head_of, holders_of, holds
from .tenancy.position_reads import active_positions, holdings, positions_of
from .tenancy.positions import add_position, assign_holder, find_position
from .webhooks import SignedRequest, SignatureError, sign as sign_webhook, signed_webhook, verify as verify_webhook
from .actor import Actor, current_actor
from .commands.common import cli_fail, cli_tenant
from .api.auth import refusal
from .unit_of_work import UnitOfWork, unit_of_work
from .error_renderers import bpjs_error, fhir_error
from .text import BadJson, clean as clean_text, clean_data, load_json, require_clean
from .text_rows import clean_stored_text
from .tenancy.backfill import each_tenant  # a data migration's backfill, tenant by tenant (Row Level Security)
from .web_request import json_object
from .numbering import Allocation, allocate as allocate_number, issue as issue_number, last_issued, local_date
from .number_patterns import check_pattern as check_number_pattern, number_pattern_setting, render as render_number
from .identity import (
    IdentityError, mask_identity, normalise_bpjs, normalise_nib, normalise_nik, normalise_nip,
    normalise_npwp, parse_nik, parse_nip,
)
from .identity_column import IdentityNumber, identity_hash, identity_lookup
from . import ledger
from .idempotency import idempotent
from . import access_cards
from .api.schemas import ApiModel, ApiOutput, operation  # JSON endpoints declared once (OpenAPI)
from .rls import custom_plans  # lists over a tenant's rows planned for that tenant (PostgreSQL)

__all__ = [
    "OrgUnit", "NotFound", "PamongError", "Tenant", "TenantOwned", "User", "ValidationError",
    "api_message", "join_problems", "Problems", "put_on_form", "raise_all",  # several refusals of one input at once
    "api_error", "api_scope", "audit", "current_scope", "db", "gettext", "has_permission", "hookimpl",
    "datetime_formatter", "lazy_gettext", "local_datetime", "local_iso", "module_domain", "module_settings", "reference_errors", "ngettext", "periodic",
    "public", "read_scope", "requires", "rupiah", "signed_in", "task", "tenant_scope", "utcnow", "within_tenant",
    # figures in the reader's language: "4,0" (id), "4.0" (en)
    "local_decimal", "local_number", "local_percent", "month_axis", "month_name",
    # the zone's name beside a local time written without a request (an SMS reply): "08.00 WITA"
    "zone_name",
    # core services (notifications, SMS, storage, personal data)
    "EncryptedText", "keyed_hash", "normalise_phone", "notify", "storage",
    # a post to another tenant of the deployment through the outbox, taken by its modules' handle_event
    "tenant_post",
    # accounts, tenants and signed webhooks (added for the complaints module)
    "agencies_of", "official_identity", "enabled_modules", "org_units", "may_keep", "limiter", "member_ids_by_agency", "members_of", "normalise_email", "token_for", "token_named",
    # where an account's own messages go: ("email", address), or ("sms", number) for a phone-only citizen
    "contact_of",
    "SignatureError", "sign_webhook", "verify_webhook",
    # secrets a tenant's settings name (env:NAME, in the tenant's own namespace)
    "tenant_secret",
    # domain events between modules
    "publish",
    # working days per tenant; routes that find their tenant from a parameter (Open311's jurisdiction_id)
    "WorkingCalendar", "calendar_of", "deployment_wide",
    # SLA clocks over the working calendar (start, pause 41, resume 42, reset 43, restart 44), core/sla
    "sla",
    # keys that shard by tenant (DESIGN §4): a reference to another tenant-owned table; in migrations
    # a new tenant table, a reference in it, existing tables brought to the keys (and back)
    "tenant_ref", "create_tenant_table", "tenant_fk", "tenant_reference", "rekey_tenant_tables",
    "unkey_tenant_tables", "key_violations",
    # lists over a tenant's rows planned for that tenant's size (PostgreSQL; core/rls.py)
    "custom_plans",
    # "this transaction will write what it read", on SQLite and PostgreSQL (core/locking.py)
    "for_change", "read_snapshot", "write_lock", "write_transaction", "writing",
    # text made safe where it enters (core.text): bodies a module reads itself (signed webhooks)
    "BadJson", "clean_data", "clean_stored_text", "clean_text", "each_tenant", "json_object", "load_json", "require_clean",
    # numbers and dates of a request, with bounds (errors answered in the route's own format)
    "OutOfBounds", "ParameterError", "check_datetime", "date_arg", "declare_datetime", "float_arg", "int_arg",
    "lat_arg", "lon_arg", "month_arg", "page_arg", "parse_date", "parse_float", "parse_int", "parse_month",
    # redirects to a target taken from user input; this deployment's public address (not the Host header)
    "safe_next", "public_root",
    # gap-free numbering per tenant, scope and local period, written by a per-tenant pattern (core/numbering.py)
    "Allocation", "allocate_number", "issue_number", "last_issued", "local_date", "check_number_pattern",
    "number_pattern_setting", "render_number",
    # identity numbers: NIK, NIP, NIB, BPJS, NPWP; stored encrypted with a keyed hash, shown masked (core/identity.py)
    "IdentityError", "IdentityNumber", "identity_hash", "identity_lookup", "mask_identity", "normalise_bpjs", "normalise_nib", "normalise_nik",
    "normalise_nip", "normalise_npwp", "parse_nik", "parse_nip",
    # positions (jabatan) with their holders, acting ones included; approval chains over any object
    "approvals", "ApprovalError", "head_of", "holders_of", "holds",
    # the positions a person holds (acting ones marked: Plt.) and the tenant's positions (e-office)
    "active_positions", "positions_of",
    # who holds which position on a day, the whole tenant in one query (a monthly run)
    "holdings",
    # adding positions and holders from code (a module's demo data; the tenant file is the usual way)
    "add_position", "assign_holder", "find_position",
    # official documents: render on the letterhead, sign (PAdES), register, verify (core/documents)
    "documents",
    # money as double-entry transfers (core/ledger: ledger.transfer, .post, .void, .linked, ...); idempotent POSTs
    "ledger", "idempotent",
    # links to a tenant as it is really served (messages, documents)
    "tenant_base_url", "tenant_url",
    # module plumbing (issue 12.5): who acts; one transaction per view action; signed webhooks; route
    # protection answering in a standard's format; CSRF exemption for token/signature routes
    "Actor", "current_actor", "UnitOfWork", "unit_of_work", "SignedRequest", "signed_webhook", "refusal",
    "bpjs_error", "fhir_error", "csrf_exempt",
    # a card and its holder's entitlements, from the module that issues the tenant's cards (core/access_cards.py)
    "access_cards",
    # a module's own admin page writing some of its settings, checked and audited as the admin's form does
    "change_module_settings",
]


def change_module_settings(tenant, module: str, changes: dict, actor) -> dict:
    """A module's own admin page writing some of its settings (``changes``), exactly as the admin's
    settings form and ``pamong tenant set`` do: validated against its schema, its references and its
    ``check_settings``, audited with before and after; returns the whole new settings document."""
    from flask import current_app

    return _change_module_settings(tenant, module, changes, actor, current_app.extensions["pamong"])
