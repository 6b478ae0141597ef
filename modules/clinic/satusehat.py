"""The SATUSEHAT outbox: when a visit is finished, its FHIR resources (Encounter, Condition,
Observations) are written as one ``transaction`` Bundle into ``clinic_satusehat_outbox`` in the
same database transaction (encrypted: it holds health data), and sent later by ``send_pending``
(the periodic job below, or ``pamong clinic satusehat-send``).

Sinks (setting ``satusehat_sink``): ``console`` (the demo: one line per bundle, its resources by
type and id, in the log and echoed on the demo's terminal; no JSON, no health data) or ``http``:
POST to ``satusehat_url`` with ``Authorization: Bearer`` and the token of SATUSEHAT's OAuth2
client-credentials exchange (``satusehat_auth.py``: asked once, cached until it nearly expires; a
401 from the FHIR server drops it and the send is tried once more at once with a new one). A
refusal's ``OperationOutcome`` (its first issue's code and text) is in the error line and the log. A failed send stays ``pending``
with its attempt counted; after ``MAX_ATTEMPTS`` it is ``failed``. The ``http`` sink sends
SATUSEHAT's ids in the references (``satusehat_ids``: the patient's IHS number found by NIK, the
settings' Organization, Location and practitioner ids); a bundle whose patient has no IHS number is
held (pending, no attempt counted, reported like a failed send) and tried again at the next send.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import urllib.error
import urllib.request

from sqlalchemy import select

from core.kit import db, for_change, periodic, tenant_scope, utcnow

from . import fhir, satusehat_auth, satusehat_ids
from .models import Encounter, SatusehatMessage
from .settings import clinic_of, settings_of

log = logging.getLogger("pamong.clinic.satusehat")
MAX_ATTEMPTS = 5
BATCH = 100


def enqueue(tenant, visit) -> SatusehatMessage | None:
    """Queue the finished visit's resources (in the caller's transaction)."""
    clinic = clinic_of(tenant, visit.clinic)
    if clinic is None:
        return None
    record = db.session.execute(select(Encounter).where(Encounter.visit_id == visit.id)).scalar()
    resources = [fhir.encounter(visit, clinic, record, zone=tenant.timezone)]
    if record is not None:
        if record.icd10:
            resources.append(fhir.condition(record, visit))
        resources.extend(fhir.observations(record, visit))
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": f"urn:pamong:{r['resourceType']}:{r['id']}", "resource": r,
         "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}} for r in resources]}
    row = SatusehatMessage(resource_type="Bundle", body=json.dumps(bundle, ensure_ascii=False))
    db.session.add(row)
    return row


def _post(url: str, token: str, body: str) -> None:
    """POST a transaction Bundle to the FHIR base URL; ``urllib.error.HTTPError`` (an OSError) on 4xx/5xx."""
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/fhir+json", "Accept": "application/fhir+json",
        "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=satusehat_auth.TIMEOUT) as answer:  # noqa: S310 - the configured base URL
        if answer.status >= 300:
            raise OSError(f"SATUSEHAT answered {answer.status}")


def outcome(exc: urllib.error.HTTPError) -> str:
    """What SATUSEHAT's ``OperationOutcome`` says of a refusal: its first issue's ``code`` and its
    ``details.text`` or ``diagnostics`` (``invalid: Encounter.period.start is required``), long digit
    runs masked (an identity number SATUSEHAT may echo stays out of the log), 200 characters at most;
    "" when the answer is no OperationOutcome."""
    try:
        data = json.loads(exc.read(65536) or b"{}")
    except (ValueError, OSError):
        return ""
    issues = data.get("issue") if isinstance(data, dict) and data.get("resourceType") == "OperationOutcome" else None
    first = issues[0] if isinstance(issues, list) and issues and isinstance(issues[0], dict) else None
    if first is None:
        return ""
    details = first.get("details") if isinstance(first.get("details"), dict) else {}
    said = str(details.get("text") or first.get("diagnostics") or "").strip()
    text = ": ".join(part for part in (str(first.get("code") or "").strip(), said) if part)
    return re.sub(r"\d{8,}", lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 2), " ".join(text.split()))[:200]


def _send_http(tenant, settings: dict, body: str) -> None:
    """POST the bundle with SATUSEHAT's ids in its references (``satusehat_ids``: ``Held`` when its
    patient has none yet). A 401 (the token revoked or expired before its time) drops the cached
    token and tries once more at once with a new one; a second 401 fails the attempt."""
    for tries_left in (1, 0):
        token = satusehat_auth.access_token(tenant, settings)
        try:
            ready = satusehat_ids.with_satusehat_ids(tenant, settings["satusehat_url"], token, body)
            _post(settings["satusehat_url"], token, ready)
            return
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                satusehat_auth.forget(tenant, settings)  # revoked or expired early: ask again
                if tries_left:
                    continue
            said = outcome(exc)
            raise OSError(f"SATUSEHAT answered HTTP {exc.code}" + (f" ({said})" if said else "")) from None
        except (urllib.error.URLError, TimeoutError) as exc:  # no answer in time, refused, unreachable
            reason = getattr(exc, "reason", None) or exc
            raise OSError(f"SATUSEHAT could not be reached ({type(reason).__name__}: {reason})") from None


def summary(tenant, row) -> str:
    """The console sink's one line for a bundle: the tenant, the bundle's number, its resources by
    type and id (``Encounter/e12 Condition/c12 Observation/o12-systolic``); never the JSON nor any
    health data."""
    entries = json.loads(row.body).get("entry", [])
    refs = " ".join(e["request"]["url"] for e in entries)
    return f"SATUSEHAT (console) {tenant.slug} bundle #{row.id}: {len(entries)} resources: {refs}"


def _console(tenant, row) -> None:
    """The demo's sink: the summary in the log (INFO) and, where the deployment echoes its console
    messages (``PAMONG_CONSOLE_ECHO``, or ``PAMONG_DEMO``, as the core's console SMS provider), on
    standard error: one line per bundle."""
    from flask import current_app, has_app_context

    line = summary(tenant, row)
    log.info("%s", line)
    config = current_app.config if has_app_context() else {}
    if config.get("PAMONG_CONSOLE_ECHO", config.get("PAMONG_DEMO")):
        print(line, file=sys.stderr, flush=True)


def send_pending(tenant, errors: list | None = None) -> tuple[int, int]:
    """Send the tenant's pending bundles; returns (sent, failed now). Commits. ``errors``, when
    given, gets one line per failed attempt (``bundle #3: SATUSEHAT answered HTTP 503``; never a
    secret nor a token, as the log)."""
    settings = settings_of(tenant)
    sent = failed = 0
    with tenant_scope(tenant):
        rows = db.session.execute(for_change(select(SatusehatMessage).where(
            SatusehatMessage.status == "pending").order_by(SatusehatMessage.id).limit(BATCH),
            SatusehatMessage, skip_locked=True)).scalars().all()
        for row in rows:
            row.attempts += 1
            try:
                if settings["satusehat_sink"] == "http":
                    _send_http(tenant, settings, row.body)
                else:
                    _console(tenant, row)
                row.status, row.sent_at = "sent", utcnow()
                sent += 1
            except satusehat_ids.Held as exc:  # not an attempt: tried again at the next send
                row.attempts -= 1
                log.info("SATUSEHAT bundle #%s held: %s", row.id, exc)
                if errors is not None:
                    errors.append(f"bundle #{row.id}: {exc}")
            except OSError as exc:
                log.warning("SATUSEHAT send of bundle #%s failed: %s", row.id, exc)
                if errors is not None:
                    errors.append(f"bundle #{row.id}: {exc}")
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = "failed"
                    failed += 1
        db.session.commit()
    return sent, failed


@periodic({"minute": "*/5"})
def send_all():
    from core.kit import Tenant, enabled_modules

    for tenant in db.session.execute(select(Tenant)).scalars().all():
        if "clinic" in enabled_modules(tenant):
            send_pending(tenant)
