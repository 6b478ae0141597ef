"""The patient cancels their own booking: on the status page (``/clinic/status/cancel?code=``, a
confirmation, then a POST) and by SMS (``BATAL <booking code>``, ``channels.sms_batal``). The
booking code is the booking's secret, as for the status page and BPJS's check-in. A booking still
to be called may be cancelled (booked, arrived, skipped: ``registration.cancel``); the patients
after it move up and their estimates are recomputed; audited ``clinic.visit.cancel`` (reason
"portal" or "sms"). A patient who cannot come frees their place instead of holding up the queue
until the desk calls, waits and marks them absent."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from core.kit import current_actor, db, public, tenant_scope, unit_of_work

from . import queue
from .forms import CancelForm
from .labels import gettext as _
from .models import CANCELLED, IN_QUEUE
from .registration import already_cancelled, by_code, cancel
from .settings import clinic_of
from .views import pages


def cancel_by_code(tenant, actor, code: str, reason: str):
    """Cancel the booking with ``code``: the visit, or None for an unknown code; ``ValidationError``
    ``not_cancellable`` once it has been called, ``already_cancelled`` (saying when) once cancelled.
    The caller commits."""
    found = by_code(tenant, code)
    if found is None:
        return None
    with tenant_scope(tenant):
        visit = queue.locked_visit(tenant, found.id)
        return cancel(tenant, actor, visit, reason)


@pages.route("/status/cancel", methods=["GET", "POST"])
@public
def cancel_booking():
    form = CancelForm()
    code = (request.args.get("code") if request.method == "GET" else form.code.data) or ""
    visit = by_code(g.tenant, code)
    if visit is None:
        abort(404)
    if visit.status not in IN_QUEUE:
        flash(already_cancelled(g.tenant, visit) if visit.status == CANCELLED else
              _("This booking can no longer be cancelled."), "error")
        return redirect(url_for(".status", code=visit.booking_code))
    if request.method == "POST" and form.validate_on_submit():
        number, booking = visit.number, visit.booking_code
        with unit_of_work() as work:
            cancel_by_code(g.tenant, current_actor(), booking, "portal")
        if work.ok:
            flash(_("Booking %(n)s is cancelled. Thank you for letting the clinic know.", n=number), "success")
        else:
            flash(work.error.message, "error")
        return redirect(url_for(".status", code=booking))
    form.code.data = visit.booking_code
    clinic = clinic_of(g.tenant, visit.clinic)
    return render_template("clinic/cancel.html", form=form, visit=visit, clinic=clinic,
                           poli=clinic.poli(visit.poli) if clinic else None), 400 if request.method == "POST" else 200
