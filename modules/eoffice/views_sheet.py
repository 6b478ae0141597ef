"""The printable lembar disposisi of a letter (issue 14.5): the sheet a head writes a disposition
on by hand, as agencies still file it beside the letter. ``GET /eoffice/letters/<id>/disposition-sheet``
(``eoffice.work``, whoever may read the letter; others 404): the letter's facts (from, number,
date, received on, security, subject), the dispositions recorded in e-office so far (to whom,
instruction, due date), then blank lines "passed to", the standard instruction checkboxes
(``INSTRUCTIONS``), notes and initials. Reading it changes nothing and is not audited (the
letter's page is not either). A plain page with a print stylesheet: no JavaScript, 360 px wide
or A4 on paper, in the reader's language.

The checkbox list is the one regional tata naskah dinas guides commonly print (Permendagri
1/2023 on the lembar disposisi; the gazetted form was not at hand, README "Layouts")."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import g, render_template

from core.kit import local_date, requires

from . import queries
from .labels import lazy_gettext as _l
from .views import WORK, pages, readable

INSTRUCTIONS = (
    _l("For information"), _l("For follow-up"), _l("For further processing"), _l("To coordinate"),
    _l("To prepare a reply"), _l("To attend or be represented"), _l("To study"), _l("For comment and advice"),
    _l("To file"),
)
BLANK_LINES = 3  # empty "passed to" lines for what is written by hand


@pages.route("/letters/<int:letter_id>/disposition-sheet")
@requires(WORK)
def disposition_sheet(letter_id):
    found, _ = readable(letter_id)
    tenant = g.tenant
    written = found.origin_date or _day(tenant, found.signed_at)
    received = _day(tenant, found.sent_at)
    rows = queries.disposition_chains(queries.letter_dispositions(tenant, found))
    return render_template("eoffice/disposition_sheet.html", letter=found, written=written, received=received,
                           rows=rows, instructions=INSTRUCTIONS, blank_lines=BLANK_LINES)


def _day(tenant, when: datetime | None):
    """The tenant's local date of a stored instant (SQLite gives it back without its zone: UTC)."""
    if when is None:
        return None
    return local_date(tenant, when if when.tzinfo else when.replace(tzinfo=timezone.utc))
