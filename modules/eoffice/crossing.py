"""Letters between tenants of one deployment (issue 14.5: a city writes to its province), through
the core's post between tenants (``core.kit.tenant_post``: an outbox row of the sender, delivered
by the worker to the receiver's modules in the receiver's own scope). Both isolation walls hold:

- the sender's code reads only its own rows and writes the payload (the letter as signed: number,
  subject, body, its type's code and names (``letter_type_name``: ``{"id", "en"}``), signature
  block, signed PDF, verification address); it learns only the post's
  status (pending, delivered, failed), never the receiver's rows;
- the receiver's handler (``receive``) reads only the payload and writes its own incoming letter
  (``Letter.origin_*``) with an addressee row for its receiving unit (the setting
  ``incoming_unit``, else its first agency by code; a copy, tembusan, when the payload's ``copy``
  says the sender sent it one), so it arrives in that unit's inbox and is
  disposed there like any letter, and filed in the dossier of its classification (or of the
  nearest code above it the receiver knows; not filed if none). A post delivered twice makes one
  letter (``origin_ref``).
  The files it stores (the signed PDF, attachments) go through ``stored.put``: if the worker's
  commit of the receiver's transaction fails, they are deleted again and the post is retried.

Audited on both sides: ``eoffice.letter.post`` (sender), ``eoffice.letter.receive`` (receiver).

Attachments (lampiran) travel as posts of their own (``eoffice.attachment``, one per file and
receiver, posted right after the letter: a file of up to 5 MB fits a post's 8 MB of JSON, five of
them would not fit the letter's), so that:

- the letter's payload lists them (``attachments``: ``n``, file name, size, SHA-256); the receiver
  keeps that list (``Letter.origin_attachments``) and its letter page says how many have arrived;
- each attachment post names the letter's post (``letter_post``, ``"<sender id>:<outbox id>"``,
  which must be the sender's own) and carries the bytes; the receiver (``receive_attachment``)
  checks them as its own uploads are checked (a PDF, at most 5 MB), recomputes the SHA-256 and
  compares it, and the size, with the letter's list, then stores the file in its own storage scope;
- an attachment that arrives before its letter is retried by the outbox (``NotYetArrived`` is not
  a refusal); one that does not match the list is refused for good (the sender's post fails);
- a post delivered twice stores one file (``Attachment.origin_ref``, unique per tenant).

Audited on both sides: ``eoffice.attachment.post`` (sender, per receiver, with the posts),
``eoffice.attachment.receive`` (receiver, with the checksum).
"""
from __future__ import annotations

import base64
import binascii
import hashlib

from core.kit import (
    OrgUnit, Tenant, ValidationError, audit, db, enabled_modules, lazy_gettext as _l, local_date, members_of,
    notify, tenant_post, tenant_scope, tenant_url, utcnow,
)

from . import richtext, stored
from .crossing_facts import addressees, addressees_of, letter_date, signing_day
from .models import CC, SENT, TO, Letter, Recipient

EVENT = "eoffice.letter"
ATTACHMENT = "eoffice.attachment"
NAME = "eoffice"
LANGUAGES = ("id", "en")  # the languages a letter type is named in (settings: name_id, name_en)


class NotYetArrived(Exception):
    """An attachment whose letter has not arrived yet: not a refusal (not a ``PamongError``), so the
    outbox tries the post again later."""


def addressee_tenants(tenant, slugs, where: str = "to_tenants") -> list:
    """The tenants named by ``slugs`` (other tenants of the deployment that enable the module), in
    order, once each. ``ValidationError`` on ``where`` (``to_tenants``, or ``cc_tenants`` for copies): ``no_such_tenant``, ``same_tenant``,
    ``not_receiving`` (it has not enabled e-office)."""
    found = []
    for raw in slugs or ():
        slug = (raw or "").strip().lower()
        if not slug or slug in [t.slug for t in found]:
            continue
        try:
            other = tenant_post.receiver(slug)
        except ValidationError:
            raise ValidationError(_l("There is no government '%(slug)s' in this deployment.", slug=slug[:64]),
                                  where=where, code="no_such_tenant") from None
        if other.id == tenant.id:
            raise ValidationError(_l("Address your own agencies as units, not as another government."),
                                  where=where, code="same_tenant")
        if NAME not in enabled_modules(other):
            raise ValidationError(_l("%(name)s does not receive official letters through e-office.", name=other.name),
                                  where=where, code="not_receiving")
        found.append(other)
    return found


def choices(tenant) -> list[tuple[str, str]]:
    """``[(slug, name)]`` of the deployment's other tenants that receive e-office letters (its
    parent province first)."""
    rows = db.session.execute(db.select(Tenant).where(Tenant.id != tenant.id).order_by(Tenant.name)).scalars().all()
    rows = [t for t in rows if NAME in enabled_modules(t)]
    rows.sort(key=lambda t: t.id != tenant.parent_id)
    return [(t.slug, t.name) for t in rows]


def post_letter(tenant, actor, letter, recipients, pdf: bytes, verify_url: str) -> list[int]:
    """Post the signed ``letter`` to each recipient row with a ``tenant_slug`` (in the caller's
    transaction), then its attachments, one post each; returns the letters' outbox ids. Audited
    ``eoffice.letter.post`` per receiver, and ``eoffice.attachment.post`` when it has attachments."""
    from .attachments import with_data

    from .settings import letter_types

    files = with_data(tenant, letter)  # checksums recomputed: a file changed in storage is not sent
    kind = letter_types(tenant).get(letter.letter_type) or {}
    listed = [{"n": n, "filename": row.filename, "size": len(data), "sha256": digest}
              for n, (row, data, digest) in enumerate(files, 1)]
    payload = {
        "number": letter.number, "subject": letter.subject, "letter_type": letter.letter_type,
        "letter_type_name": {lang: kind[f"name_{lang}"] for lang in LANGUAGES if kind.get(f"name_{lang}")},
        "classification": letter.classification, "security": letter.security, "body_html": letter.body_html,
        "unit_code": letter.unit_code, "unit_name": letter.unit_name, "signer_name": letter.signer_name,
        "signature": list(letter.signature or []), "verify_url": verify_url,
        "signed_at": letter.signed_at.isoformat() if letter.signed_at else None,
        # the date written on the letter (the sender's calendar day of signing): the receiver's sheet shows it
        "letter_date": signing_day(tenant, letter),
        # whom the letter is addressed to, as it names them: a copy's receiver shows them under "To"
        "addressees": addressees(recipients),
        "pdf": base64.b64encode(pdf).decode("ascii"), "attachments": listed,
    }
    ids = []
    for r in recipients:
        if not r.tenant_slug:
            continue
        copy = r.kind == CC  # a copy (tembusan): the receiver files it as one
        message = tenant_post.post(tenant, r.tenant_slug, EVENT, {**payload, "addressee": r.name, "copy": copy},
                                   ref=f"eoffice:{letter.id}")
        with tenant_scope(tenant):
            r.post_id = message.id
            audit(tenant, actor, "eoffice.letter.post", "letter", letter.id,
                  after={"to": r.tenant_slug, "copy": copy, "number": letter.number, "post": message.id})
        posts = []
        for entry, (row, data, _) in zip(listed, files):
            sent = tenant_post.post(tenant, r.tenant_slug, ATTACHMENT, {
                **entry, "letter_post": f"{tenant.id}:{message.id}", "data": base64.b64encode(data).decode("ascii"),
            }, ref=f"eoffice:{letter.id}:attachment:{row.id}")
            posts.append(sent.id)
        if posts:
            with tenant_scope(tenant):
                r.attachment_posts = posts
                audit(tenant, actor, "eoffice.attachment.post", "letter", letter.id,
                      after={"to": r.tenant_slug, "letter_post": message.id, "posts": posts,
                             "files": [{k: e[k] for k in ("filename", "size", "sha256")} for e in listed]})
        ids.append(message.id)
    return ids


def delivery_states(tenant, recipients) -> dict[int, str]:
    """``{recipient id: "pending" | "sent" | "failed"}`` for the rows posted to other tenants: the
    letter's post and its attachments' together (``failed`` if any failed, ``sent`` once all were
    delivered, else ``pending``)."""
    posts = {r.id: [r.post_id, *(r.attachment_posts or [])] for r in recipients if r.tenant_slug and r.post_id}
    states = tenant_post.status(tenant, [pid for ids in posts.values() for pid in ids])
    out = {}
    for rid, ids in posts.items():
        got = [states.get(pid, "pending") for pid in ids]
        out[rid] = "failed" if "failed" in got else "sent" if all(g == "sent" for g in got) else "pending"
    return out


def _text(payload, key: str, limit: int, required: bool = True) -> str:
    value = payload.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(f"the letter's '{key}' is missing", where=key, code="bad_letter")
    return " ".join(value.split())[:limit]


def receiving_unit_code(tenant) -> str | None:
    """The code of the agency that receives letters from other tenants (``_receiving_unit``), or None."""
    from .settings import settings_of

    try:
        return _receiving_unit(tenant, settings_of(tenant)).code
    except ValidationError:
        return None


def _receiving_unit(tenant, settings) -> OrgUnit:
    with tenant_scope(tenant):
        query = db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.active.is_(True))
        code = (settings.get("incoming_unit") or "").strip()
        unit = db.session.execute(query.where(OrgUnit.code == code)).scalar_one_or_none() if code else None
        unit = unit or db.session.execute(query.order_by(OrgUnit.code).limit(1)).scalar_one_or_none()
    if unit is None:
        raise ValidationError("no agency receives letters here", where="incoming_unit", code="no_receiving_unit")
    return unit


def receive(tenant, actor, event) -> dict:
    """The receiving tenant's side (``handle_event`` of ``eoffice.letter`` from ``tenant_post``):
    its own incoming letter, in its receiving unit's inbox, its officers told by e-mail. Returns
    ``{"accepted": "received"}``; ``ValidationError`` ``bad_letter`` for a payload that is not a
    letter (the post fails for good)."""
    from .archive import file_letter, known_code
    from .settings import SECURITY, settings_of

    payload, origin = event.get("payload") or {}, event["from_tenant"]
    ref = str(event["message"])[:40]
    with tenant_scope(tenant):
        if db.session.execute(db.select(Letter.id).where(Letter.origin_ref == ref)).first():
            return {"accepted": "received"}  # delivered before: at least once, one letter
    number, subject = _text(payload, "number", 100), _text(payload, "subject", 300)
    body = richtext.sanitise(payload.get("body_html") if isinstance(payload.get("body_html"), str) else "")
    try:
        pdf = base64.b64decode(payload.get("pdf") or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        pdf = b""
    if not pdf.startswith(b"%PDF-"):
        raise ValidationError("the letter's signed PDF is missing or not a PDF", where="pdf", code="bad_letter")
    security = payload.get("security") if payload.get("security") in SECURITY else "biasa"
    signature = [" ".join(str(s).split())[:200] for s in payload.get("signature") or [] if isinstance(s, str)][:6]
    verify = _text(payload, "verify_url", 300, required=False)
    listed = _listed(payload.get("attachments"))
    unit = _receiving_unit(tenant, settings_of(tenant))
    sender = f"{_text(payload, 'unit_name', 120, required=False)} · {origin['name']}".strip(" ·")[:200]
    key = stored.put(tenant, pdf, "naskah.pdf")  # deleted again if the receiver's save fails
    now = utcnow()
    with tenant_scope(tenant):
        letter = Letter(
            letter_type=_text(payload, "letter_type", 10, required=False) or "SB",
            classification=_text(payload, "classification", 24, required=False) or "-", security=security,
            subject=subject, body_html=body, unit_id=unit.id, unit_code=unit.code, unit_name=unit.name,
            drafting_unit_code=unit.code, drafting_unit_name=unit.name,
            drafter_id=None, drafter=sender, status=SENT, steps=[], signer_name=_text(payload, "signer_name", 200,
                                                                                      required=False),
            signature=signature, sent_at=now, updated_at=now, year=local_date(tenant, now).year,
            origin_tenant=origin["slug"][:64],
            origin_name=sender, origin_number=number, origin_ref=ref, origin_pdf_key=key,
            origin_verify_url=verify if verify.startswith(("https://", "http://")) else None,
            origin_attachments=listed or None, origin_type_name=_type_names(payload.get("letter_type_name")),
            origin_date=letter_date(tenant, payload))
        db.session.add(letter)
        db.session.flush()
        copy = payload.get("copy") is True
        db.session.add(Recipient(letter_id=letter.id, kind=CC if copy else TO, unit_code=unit.code, name=unit.name))
        for name in addressees_of(payload.get("addressees"), origin["name"]) if copy else ():
            db.session.add(Recipient(letter_id=letter.id, kind=TO, name=name))  # named only: reaches nobody here
        from .drafting import event as timeline

        timeline(tenant, letter, actor, "received", f"{number} · {sender}")
        code = known_code(tenant, letter.classification)  # the sender's code, or the nearest one known here
        dossier = file_letter(tenant, actor, letter, code) if code else None
        audit(tenant, actor, "eoffice.letter.receive", "letter", letter.id,
              after={"from": origin["slug"], "number": number, "subject": subject, "unit": unit.code, "post": ref,
                     "attachments": len(listed), "dossier": dossier.code if dossier else None})
        for person in members_of(tenant, "officer", unit.id):
            if person.email:
                notify(tenant, "email", person.email,
                       f"{number}: {subject}\n{sender}\n{tenant_url(tenant, f'/eoffice/letters/{letter.id}')}",
                       subject=f"Naskah dinas masuk: {number}", ref=f"eoffice:{letter.id}")
        db.session.flush()
    return {"accepted": "received"}


SHA256 = frozenset("0123456789abcdef")


def _listed(raw) -> list[dict]:
    """The letter's list of attachments as the receiver keeps it (at most ``attachments.MAX_FILES``
    well-formed entries; anything else in it is dropped)."""
    from .attachments import MAX_BYTES, MAX_FILES

    out = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        n, size, digest = entry.get("n"), entry.get("size"), str(entry.get("sha256") or "")
        if not (isinstance(n, int) and isinstance(size, int) and 0 < size <= MAX_BYTES and len(digest) == 64
                and set(digest) <= SHA256 and n not in [e["n"] for e in out]):
            continue
        out.append({"n": n, "filename": _text(entry, "filename", 120, required=False) or f"lampiran-{n}.pdf",
                    "size": size, "sha256": digest})
    return out[:MAX_FILES]


def _refuse(message: str, where: str = "attachment", code: str = "bad_attachment"):
    return ValidationError(message, where=where, code=code)


def receive_attachment(tenant, actor, event) -> dict:
    """The receiving tenant's side of ``eoffice.attachment``: the file stored in its own storage
    scope and added to its incoming letter, once. Returns ``{"accepted": "attached"}``.

    Refused for good (``ValidationError``, the post fails): ``bad_attachment`` (it names no letter
    of its sender, or one that did not list it), ``not_pdf`` / ``too_large`` (the checks of an
    upload), ``checksum_mismatch`` (the bytes' SHA-256 or size is not what the letter listed).
    ``NotYetArrived`` while its letter has not arrived (the outbox tries again)."""
    from .attachments import check
    from .models import Attachment

    payload, origin = event.get("payload") or {}, event["from_tenant"]
    ref = str(event["message"])[:40]
    with tenant_scope(tenant):
        if db.session.execute(db.select(Attachment.id).where(Attachment.origin_ref == ref)).first():
            return {"accepted": "attached"}  # delivered before: at least once, one file
    letter_post = str(payload.get("letter_post") or "")[:40]
    if not letter_post.startswith(f"{origin['id']}:"):  # a sender attaches to its own letters only
        raise _refuse("the attachment names no letter of its sender")
    with tenant_scope(tenant):
        letter = db.session.execute(db.select(Letter).where(Letter.origin_ref == letter_post)).scalar_one_or_none()
    if letter is None:
        raise NotYetArrived(f"the letter of post {letter_post} has not arrived yet")
    entry = next((e for e in letter.origin_attachments or [] if e["n"] == payload.get("n")), None)
    if entry is None:
        raise _refuse("the letter does not list this attachment")
    try:
        data = base64.b64decode(payload.get("data") or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise _refuse("the attachment's data is not base64") from None
    if not data:
        raise _refuse("the attachment is empty")
    ((name, data),) = check([(entry["filename"], data)])  # a PDF, at most 5 MB, as an upload
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"] or len(data) != entry["size"] or payload.get("sha256") != entry["sha256"]:
        raise _refuse(f"'{name}': its SHA-256 or size is not what the letter listed", code="checksum_mismatch")
    with tenant_scope(tenant):
        db.session.add(Attachment(letter_id=letter.id, filename=name, storage_key=stored.put(tenant, data, name),
                                  size=len(data), sha256=digest, origin_ref=ref))  # file deleted if not saved
        audit(tenant, actor, "eoffice.attachment.receive", "letter", letter.id,
              after={"from": origin["slug"], "filename": name, "size": len(data), "sha256": digest, "post": ref})
        db.session.flush()
    return {"accepted": "attached"}


def sender_name(slug: str) -> str:
    """The name of the tenant ``slug`` (a letter's sender), or the slug if it is gone."""
    found = db.session.execute(db.select(Tenant.name).where(Tenant.slug == slug)).scalar_one_or_none()
    return found or slug


def _type_names(raw) -> dict | None:
    """The type's names the sender sent (``{"id": ..., "en": ...}``, either may be missing; at most
    80 characters each, as the settings allow), or None (a post of before they were sent)."""
    names = {lang: " ".join(raw[lang].split())[:80] for lang in LANGUAGES
             if isinstance(raw, dict) and isinstance(raw.get(lang), str) and raw[lang].strip()}
    return names or None


def type_name(tenant, letter, indonesian: bool = True) -> str:
    """The name of ``letter``'s type in the reader's language. A letter from another tenant: the
    name its sender sent with it (in the reader's language, else the other one); a letter received
    before names were sent, or one of this tenant: this tenant's type of that code, else a built-in
    one, else the code. The sender's configuration is never read."""
    from .settings import DEFAULT_TYPES, letter_types

    lang = "id" if indonesian else "en"
    sent = letter.origin_type_name or {}
    if sent:
        return sent.get(lang) or next(iter(sent.values()))
    key = f"name_{lang}"
    kind = letter_types(tenant).get(letter.letter_type)
    kind = kind or next((t for t in DEFAULT_TYPES if t["code"] == letter.letter_type), None)
    return (kind or {}).get(key) or (kind or {}).get("name_id") or letter.letter_type
