"""The officer's pages: home with the counters, inbox, outgoing letters, letters awaiting review,
dispositions, and a letter (served under the tenant's /eoffice/). Actions are in views_actions.py."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from flask import Blueprint, abort, g, render_template, send_file

from core.kit import (
    NotFound, current_actor, db, documents, int_arg, local_date, local_decimal, ngettext, page_arg, public, requires,
    storage, utcnow,
)

from . import queries
from .access import by_oversight, readable_letter, record_oversight_read, who
from .labels import action_label, security_label, state_label, status_label
from .settings import settings_of

pages = Blueprint("eoffice", __name__, template_folder="templates")
WORK = "eoffice.work"
OVERSEE = "eoffice.oversee"  # an auditor: reads ordinary letters (access.by_oversight) and the figures
STYLESHEET = Path(__file__).resolve().parent / "static" / "eoffice.css"


@pages.context_processor
def labels():
    """What the module's pages format with. It also runs for an error page answered before the
    request's tenant is known (a form posted without its token is refused first, t14 defect 2):
    nothing here may need the tenant then."""
    actor = current_actor()
    tenant = getattr(g, "tenant", None)
    return {"status_label": status_label, "action_label": action_label, "state_label": state_label,
            "security_label": security_label,
            "file_size": file_size, "day": day,
            "today": local_date(tenant, utcnow()) if tenant is not None else None,
            # the module's own links show only what the reader may open (an auditor: the figures)
            "eo_may": {p: bool(actor.can(p)) for p in (WORK, OVERSEE, "eoffice.archive", "core.admin")},
            # a province without letters of its own: its overseer's "Ordinary letters" would be empty
            "eo_lists_ordinary": lambda: tenant is not None and lists_ordinary(tenant)}


def lists_ordinary(tenant) -> bool:
    """Whether the overseer's list of ordinary letters is offered (the nav link, the auditor's home):
    always, but not in a province that writes no letter in e-office (its auditor reads its cities'
    figures; the list would be empty, trial t14g)."""
    return tenant.kind != "province" or queries.any_ordinary(tenant)


def day(value) -> str:
    """A date (a due date, a dossier's dates) in the reader's language: "4 Des 2026" / "Dec 4, 2026"."""
    from flask_babel import format_date

    return format_date(value, format="medium") if value else ""


ISO_DUE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")  # how a disposition's entry ended before migration 0008


def timeline_note(row: dict) -> str:
    """A timeline entry's text for its reader: a disposition's facts (``data``) with its due date in
    the reader's language ("Ana: Siapkan bahan (jatuh tempo 5 Des 2026)"); an entry written before
    they were kept apart has its ISO due date formatted the same way; any other note as written."""
    from flask_babel import gettext

    data, note = row.get("data") or {}, row.get("note") or ""
    if row.get("action") != "disposed":
        return note
    try:
        if data.get("due_on"):
            return gettext("%(to)s: %(instruction)s (due %(day)s)", to=data.get("to", ""),
                           instruction=data.get("instruction", ""), day=day(date.fromisoformat(data["due_on"])))
        found = ISO_DUE.search(note)
        if found:
            return f"{note[:found.start()]}({gettext('due %(day)s', day=day(date.fromisoformat(found.group(1))))})"
    except ValueError:  # not a date after all: the text as stored
        pass
    return note


def file_size(size: int) -> str:
    """A file's size in the reader's language: bytes under 1 KB ("45 byte"), then KB, then MB with
    one decimal ("1,5 KB" in Indonesian, "1.5 KB" in English)."""
    size = int(size or 0)
    if size < 1024:
        return ngettext("%(num)s byte", "%(num)s bytes", size)
    if size < 1024 * 1024:
        return f"{local_decimal(size / 1024)} KB"
    return f"{local_decimal(size / (1024 * 1024))} MB"


@pages.route("/eoffice.css")
@public
def stylesheet():
    return send_file(STYLESHEET, mimetype="text/css", max_age=300)


def readable(letter_id, what: str = "page"):
    """The letter and who the reader is, or the 404 page: a letter of another tenant, or one the
    reader may not read (its security classification), is not shown to exist. An overseer's read
    (``access.by_oversight``: an auditor, of a ``biasa`` letter) is audited and committed, each time."""
    from flask import request

    try:
        found, me = readable_letter(g.tenant, current_actor(), letter_id)
    except NotFound:
        abort(404)
    if request.method == "GET" and by_oversight(g.tenant, found, me):
        record_oversight_read(g.tenant, current_actor(), found, what)
        db.session.commit()
    return found, me


def _me():
    return who(g.tenant, current_actor())


@pages.route("/")
@requires(WORK, OVERSEE)
def home():
    """The officer's home with its counters; an overseer (an auditor, no ``eoffice.work``) has no
    officer's lists: their home is the ordinary letters they read (a province's without letters:
    its cities' figures)."""
    from flask import redirect, url_for

    if not current_actor().can(WORK):
        return redirect(url_for(".overseen" if lists_ordinary(g.tenant) else ".cities"))
    return render_template("eoffice/home.html", counts=queries.counters(g.tenant, _me()))


def _listing(kind: str):
    from flask import request

    q = (request.args.get("q") or "").strip()[:100]
    size = settings_of(g.tenant)["page_size"]
    me = _me()
    found = getattr(queries, kind)(g.tenant, me, q, page_arg(), size)
    # the page's letters whose signed PDF was revoked (one query): marked in the list
    revoked = documents.revoked(g.tenant, [row[0].document_code for row in found.rows])
    # an empty list says why (trial t14h): someone of no agency and no position (an admin) has no
    # inbox or outgoing letters of their own; a province may write no letter of its own at all
    placeless = me.user_id is not None and not me.unit_codes and not me.positions
    return render_template("eoffice/list.html", kind=kind, page=found, q=q, revoked=revoked, placeless=placeless)


@pages.route("/inbox")
@requires(WORK)
def inbox():
    return _listing("inbox")


@pages.route("/outgoing")
@requires(WORK)
def outgoing():
    return _listing("outgoing")


@pages.route("/review")
@requires(WORK)
def review():
    verify, sign = queries.awaiting_me(g.tenant, _me())
    return render_template("eoffice/review.html", verify=verify, sign=sign)


@pages.route("/dispositions")
@requires(WORK)
def dispositions():
    me = _me()
    rows = queries.dispositions_to(g.tenant, me, open_only=not int_arg("all", 0, min=0, max=1))
    return render_template("eoffice/dispositions.html", rows=rows, given=queries.dispositions_from(g.tenant, me))


@pages.route("/letters")
@requires(OVERSEE)
def overseen():
    """The overseers' list: the tenant's ordinary (``biasa``) letters past signing, searchable."""
    return _listing("overseen")


@pages.route("/letters/<int:letter_id>")
@requires(WORK, OVERSEE)
def letter(letter_id):
    from .views_actions import letter_page

    return letter_page(letter_id)


@pages.route("/letters/<int:letter_id>/pdf")
@requires(WORK, OVERSEE)
def pdf(letter_id):
    found, _ = readable(letter_id, "pdf")
    if found.origin_pdf_key:  # a letter from another tenant: the signed PDF as it arrived
        data = storage().get(found.origin_pdf_key, tenant=g.tenant)
    else:
        doc = documents.find(g.tenant, found.document_code or "")
        if doc is None:
            abort(404)
        data = storage().get(doc.storage_key, tenant=g.tenant)
    from io import BytesIO

    name = f"naskah-{found.id}.pdf"
    return send_file(BytesIO(data), mimetype="application/pdf", download_name=name, as_attachment=False)


from . import views_actions, views_archive, views_register, views_sheet, views_templates  # noqa: E402,F401  (register their routes on ``pages``)
