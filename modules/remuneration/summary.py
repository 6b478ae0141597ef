"""The signed PDF summary of one agency's closed month (core documents: the tenant's letterhead, a
PAdES signature, a QR code to the public verification page, the register and the audit trail).

Number: ``900/<serial>/TPP-<agency>/<month in Roman>/<year>`` from the core's gap-free counter
(scope ``("remuneration", "summary")``, per year; 900 is the classification code of finance in the
Permendagri 83/2022 archive classification). Errors: ``ValidationError`` codes ``month_open`` (only a
closed month is summarised), ``not_found`` (no result of that agency), ``finance_only`` (not the finance
agency's, ``finance.py``); the core's ``SigningError``.
"""
from __future__ import annotations

from core.kit import ValidationError, documents, gettext as _, issue_number, mask_identity, tenant_scope

from . import SUMMARY_KIND, _l
from .models import Run
from .services import agency_table, payroll

PATTERN = "900/{serial}/TPP-{agency}/{month_roman}/{year}"


def signer_of(tenant, held: str | None) -> str:
    """The position named in the signature block: the summary is the finance office's, as closing
    is (``finance.py``). The name (the core organisation's) of the finance position ``held`` by the
    issuer; with none (no ``finance_positions`` in the settings: the ``remuneration.close``
    permission acts for the finance office) "the finance office" in the reader's language, as the
    month's page says it, never an agency the tenant may not have."""
    from core.kit import find_position

    position = find_position(tenant, held) if held else None
    return position.name if position is not None else str(_l("Finance office"))  # the module's domain: any context


def subject_of(run: Run, agency: str):
    """The summary's subject (lazy) as the register stores it: what finds it once per agency and
    month, so it keeps the month as ``YYYY-MM`` (the key of every summary issued so far). What
    people read says the month in words: the PDF (``summary.html``) and the public verification
    page (``shown_subject``, the ``document_subject`` hook)."""
    return _l("TPP summary %(agency)s %(month)s", agency=agency, month=f"{run.year}-{run.month:02d}")


def shown_subject(tenant, document, locale: str) -> dict | None:
    """A summary's stored subject (in any of the tenant's languages, ``subject_of``) in ``locale``
    with its month in words ("Rekapitulasi TPP DLH November 2026"), as ``{"text", "lang"}``; None
    for another kind of document or a subject of another form (said as stored)."""
    import re

    from flask_babel import force_locale

    from .labels import month_words

    if document.kind != SUMMARY_KIND:
        return None
    for language in dict.fromkeys([*(tenant.locales or ()), "id", "en"]):
        with force_locale(language):  # the language's words, their placeholders unfilled
            pattern = re.escape(str(_l("TPP summary %(agency)s %(month)s")))
        pattern = pattern.replace(re.escape("%(agency)s"), "(?P<agency>.+?)", 1).replace(
            re.escape("%(month)s"), r"(?P<month>[0-9]{4}-[0-9]{2})", 1)
        found = re.fullmatch(pattern, document.subject or "")
        if found:
            with force_locale(locale):
                return {"text": str(_l("TPP summary %(agency)s %(month)s", agency=found["agency"],
                                       month=month_words(found["month"]))),
                        "lang": str(locale).split("_")[0]}
    return None


def issued(tenant, subject):
    """The valid summary already issued with ``subject`` (lazy: its words in any of the tenant's
    languages, as the issuer's page said them), else None (inside the tenant's scope)."""
    from core.kit import db

    from .refusals import in_each_language

    said = sorted(set(in_each_language(subject, tenant.locales or ("id",)).values()))
    return db.session.execute(db.select(documents.Document).where(
        documents.Document.kind == SUMMARY_KIND, documents.Document.subject.in_(said),
        documents.Document.status == "valid").order_by(documents.Document.id).limit(1)).scalar_one_or_none()


def issue_summary(tenant, actor, run: Run, agency: str, signer_position: str | None = None):
    """Issue (sign and register) the summary of ``agency`` in the closed ``run``; returns the Document.
    Only the finance agency's (``finance.require_finance``: ``FinanceOnly``). The signature block
    names ``signer_position``, else ``signer_of`` (the finance position the issuer holds, else the
    finance office). Once per agency and month: while the first is valid (not revoked), it is returned
    and nothing is issued. The document (its PDF, its subject in the register, its signature block)
    is wholly in the tenant's first language whoever issues it and wherever: a page in English, the
    CLI (English), a job outside any request (``in_tenant_language``; trial of issue 16: mixed)."""
    from .finance import require_finance

    held = require_finance(tenant, actor)
    if run.status != "closed":
        raise ValidationError(_("Only a closed month is summarised."), where="month", code="month_open")
    row = next((r for r in agency_table(tenant, run) if r["agency"] == agency), None)
    if row is None:
        raise ValidationError(_("No TPP for agency %(agency)s in this month.", agency=agency), where="agency", code="not_found")
    with in_tenant_language(tenant):  # refusals above in the reader's language, the document in the tenant's
        return _issue(tenant, actor, run, row, signer_position or signer_of(tenant, held))


def in_tenant_language(tenant):
    """A context: the tenant's first language (``force_locale``, as the core's ``documents`` command
    issues a letter) with the module's catalogue as the templates' (which a module's pages set per
    request, ``core.app.register_module_blueprints``; outside one only the core's would answer)."""
    from contextlib import ExitStack

    from flask import g
    from flask_babel import force_locale

    from . import DOMAIN

    stack = ExitStack()
    state = getattr(g, "_flask_babel", None)
    before = getattr(state, "babel_domain", None)
    DOMAIN.as_default()  # on the app context's g: also outside a request

    def restore():
        if before is not None:
            g._flask_babel.babel_domain = before
        else:
            vars(g._flask_babel).pop("babel_domain", None)
    stack.callback(restore)
    stack.enter_context(force_locale(tenant.default_locale))
    return stack


def _issue(tenant, actor, run: Run, row: dict, signer_position: str):
    """``issue_summary``'s document of the agency's ``row`` (of ``agency_table``), checks done."""
    agency = row["agency"]
    month = f"{run.year}-{run.month:02d}"
    subject = subject_of(run, agency)
    with tenant_scope(tenant):
        earlier = issued(tenant, subject)
        if earlier is not None:  # once per agency and month: a second request shows the first (trial t16)
            return earlier
    people = [{**p, "nip": mask_identity(p["nip"], reveal=False)} for p in payroll(tenant, run, agency)]
    with tenant_scope(tenant):
        __, number = issue_number(tenant, ("remuneration", "summary"), PATTERN, "year", agency=agency)
        return documents.issue(tenant, SUMMARY_KIND, number, str(subject),
                               "remuneration/summary.html", {"row": row, "people": people, "month": month},
                               signer_position, actor)


def issued_summaries(tenant, run: Run, agencies) -> list[dict]:
    """The valid summaries of ``run`` issued so far, one per agency of ``agencies`` (rows of the
    month's table), in the table's order, as the month's page lists them so that finance does not
    issue twice blindly (trial of issue 16): ``{"agency", "number", "code", "issued_by" (the issuer's
    display name: the core account's name, where the register keeps its e-mail; the e-mail where the
    account has no name, the CLI's name as kept; last trial of issue 16: the e-mail was shown),
    "signed_at" (UTC; the page shows it in the tenant's zone)}``. Two queries, the subjects in each of
    the tenant's languages."""
    from core.kit import User, db

    from .refusals import in_each_language

    said: dict[str, str] = {}
    for row in agencies:
        for text in in_each_language(subject_of(run, row["agency"]), tenant.locales or ("id",)).values():
            said.setdefault(text, row["agency"])
    if not said:
        return []
    with tenant_scope(tenant):
        docs = db.session.execute(db.select(documents.Document).where(
            documents.Document.kind == SUMMARY_KIND, documents.Document.subject.in_(sorted(said)),
            documents.Document.status == "valid").order_by(documents.Document.id)).scalars().all()
    first: dict[str, object] = {}
    for doc in docs:
        first.setdefault(said[doc.subject], doc)
    kept = sorted({doc.issued_by for doc in first.values()})
    named = dict(db.session.execute(db.select(User.email, User.name).where(
        User.email.in_(kept), User.name != "")).all()) if kept else {}
    return [{"agency": row["agency"], "number": doc.number, "code": doc.code,
             "issued_by": named.get(doc.issued_by) or doc.issued_by,
             "signed_at": doc.signed_at} for row in agencies if (doc := first.get(row["agency"])) is not None]


def issued_links(tenant, run: Run, agency: str) -> dict | None:
    """The summary of ``agency`` in ``run`` as the month's page links it: ``{"agency", "number",
    "verify"}`` (its public verification page); None when none is issued."""
    with tenant_scope(tenant):
        doc = issued(tenant, subject_of(run, agency))
        if doc is None:
            return None
        return {"agency": agency, "number": doc.number, "verify": documents.verification_url(tenant, doc.code)}
