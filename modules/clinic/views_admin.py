"""The tenant admin's page of the practitioners' NIKs (``/clinic/admin/practitioners``): the NIK by
which SATUSEHAT is asked a practitioner's IHS number, set or cleared without the command line. Shown
masked, never in clear; kept and audited by ``practitioners.set_nik`` / ``clear_nik`` (the CLI's
``pamong clinic practitioner-nik`` goes through the same). Permission ``core.admin`` (the tenant
admin, who also writes the clinics' settings). Plain forms, no JavaScript."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from core.kit import PamongError, current_actor, mask_identity, requires, tenant_scope, unit_of_work

from .forms import PractitionerNikForm
from .labels import gettext as _
from .practitioners import clear_nik, practitioner_of, record_of, roster, set_nik
from .views import pages

PERMISSION = "core.admin"


@pages.route("/admin/practitioners")
@requires(PERMISSION)
def practitioners_admin():
    return render_template("clinic/admin_practitioners.html", rows=roster(g.tenant))


def _nik_on_field(form, exc) -> None:
    """Every refusal of the NIK beside its field (the clinic and code come from the URL: 404 before)."""
    form.nik.errors = [*form.nik.errors, str(getattr(exc, "message", exc))]


@pages.route("/admin/practitioners/<clinic_code>/<code>", methods=["GET", "POST"])
@requires(PERMISSION)
def practitioner_nik(clinic_code: str, code: str):
    try:
        clinic, person = practitioner_of(g.tenant, clinic_code, code)
    except PamongError:
        abort(404)
    form = PractitionerNikForm()
    clearing = request.form.get("action") == "clear"
    if form.validate_on_submit():
        if not clearing and not (form.nik.data or "").strip():
            form.nik.errors = [_("Give the NIK (16 digits), or clear it.")]
        else:
            with unit_of_work(form, show=_nik_on_field) as work:
                if clearing:
                    done = clear_nik(g.tenant, current_actor(), clinic.code, person.code)
                else:
                    set_nik(g.tenant, current_actor(), clinic.code, person.code, form.nik.data)
            if work.ok:
                if clearing:
                    flash(_("The NIK of %(name)s was cleared.", name=person.name) if done is not None
                          else _("%(name)s had no NIK.", name=person.name), "success")
                else:
                    flash(_("The NIK of %(name)s was kept.", name=person.name), "success")
                return redirect(url_for(".practitioners_admin"))
    with tenant_scope(g.tenant):  # the NIK kept is shown masked only; the field never holds it
        row = record_of(clinic.code, person.code)
        masked = mask_identity(row.nik if row is not None else None)
    return render_template("clinic/admin_practitioner_nik.html", form=form, clinic=clinic, person=person,
                           masked=masked), 400 if request.method == "POST" else 200
