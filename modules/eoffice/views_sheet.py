"""The printable lembar disposisi of a letter (issue 14.5): the sheet a head writes a disposition
on by hand, as agencies still file it beside the letter. ``GET /eoffice/letters/<id>/disposition-sheet``
(``eoffice.work`` or an overseer's ``eoffice.oversee``: whoever may read the letter; others 404): the
receiving unit's kop (``receiving_unit_name``: the unit that disposes it), the letter's facts (from, number,
date, received on, security, subject), the dispositions recorded in e-office so far (to whom,
instruction, due date), then blank lines "passed to", the standard instruction checkboxes
(``INSTRUCTIONS``), notes and initials. Reading it changes nothing; an overseer's read is audited, as
their read of the letter's page is (``views.readable``). A plain page with a print stylesheet: no JavaScript, 360 px wide
or A4 on paper, in the reader's language.

The checkbox list is the one regional tata naskah dinas guides commonly print (Permendagri
1/2023 on the lembar disposisi; the gazetted form was not at hand, README "Layouts")."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import g, render_template

from core.kit import active_positions, local_date, org_units, requires

from . import queries
from .access import involvement
from .models import TO
from .labels import lazy_gettext as _l
from .views import OVERSEE, WORK, pages, readable

INSTRUCTIONS = (
    _l("For information"), _l("For follow-up"), _l("For further processing"), _l("To coordinate"),
    _l("To prepare a reply"), _l("To attend or be represented"), _l("To study"), _l("For comment and advice"),
    _l("To file"),
)
BLANK_LINES = 3  # empty "passed to" lines for what is written by hand


@pages.route("/letters/<int:letter_id>/disposition-sheet")
@requires(WORK, OVERSEE)
def disposition_sheet(letter_id):
    found, me = readable(letter_id, "sheet")
    tenant = g.tenant
    written = found.origin_date or _day(tenant, found.signed_at)
    received = _day(tenant, found.sent_at)
    rows = queries.disposition_chains(queries.letter_dispositions(tenant, found))
    return render_template("eoffice/disposition_sheet.html", letter=found, written=written, received=received,
                           rows=rows, instructions=INSTRUCTIONS, blank_lines=BLANK_LINES,
                           unit_name=receiving_unit_name(tenant, found, me))


def receiving_unit_name(tenant, letter, me) -> str:
    """The unit whose sheet it is (its kop): the unit that received the letter and disposes it, not
    the one that sent it. An incoming letter's receiving unit (``unit_name``); else the reader's
    own addressee row (a unit of theirs, a position they hold; an addressee before a copy), else
    the reader's unit when a disposition brought it to them, else the first addressee of the
    tenant; the issuing unit when no unit of the tenant received it."""
    if letter.incoming:
        return letter.unit_name
    units = {p["code"]: p["unit_name"] for p in active_positions(tenant)}
    names = {u.code: u.name for u in org_units(tenant)}
    rows = sorted((r for r in queries.recipients(tenant, letter) if r.unit_code in names or r.position_code in units),
                  key=lambda r: r.kind != TO)

    def unit_of(r) -> str:
        return names[r.unit_code] if r.unit_code in names else units[r.position_code]

    mine = [r for r in rows if r.unit_code in me.unit_codes or r.position_code in me.positions]
    if mine:
        return unit_of(mine[0])
    own = sorted(names[c] for c in me.unit_codes if c in names)  # the agencies they serve, their positions' units
    if own and "disposition" in involvement(tenant, letter, me):
        return own[0]
    return unit_of(rows[0]) if rows else letter.unit_name


def _day(tenant, when: datetime | None):
    """The tenant's local date of a stored instant (SQLite gives it back without its zone: UTC)."""
    if when is None:
        return None
    return local_date(tenant, when if when.tzinfo else when.replace(tzinfo=timezone.utc))
