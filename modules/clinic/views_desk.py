"""The desk (registration and calls, one poli on a tablet: buttons, no JavaScript) and the
practitioner's encounter form with the patient's history at that clinic."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from core.kit import current_actor, db, has_permission, local_date, requires, tenant_scope, unit_of_work, utcnow

from . import encounters, queue
from .desk_access import desk_clinics, may_work_desk
from .encounters import NotPractitioner, Record
from .forms import EncounterForm, RegisterForm
from .labels import gettext as _
from .labels import status_label
from .models import Encounter, Patient, Visit
from .order import CALLABLE
from .problems import on_fields
from .registration import shown_estimate, shown_estimates
from .settings import clinic_of, clinics
from .views import pages, place_choices, recheck, register_with

DONE_MESSAGES = {  # the confirmation after each desk step
    "call": lambda n: _("Calling %(n)s.", n=n), "recall": lambda n: _("Called %(n)s again.", n=n),
    "skip": lambda n: _("%(n)s skipped.", n=n), "absent": lambda n: _("%(n)s marked absent.", n=n),
    "serve": lambda n: _("%(n)s is being served.", n=n), "finish": lambda n: _("%(n)s finished.", n=n),
    "checkin": lambda n: _("%(n)s has arrived.", n=n),
}
ACTIONS = {"call": queue.call, "recall": queue.recall, "skip": queue.skip, "absent": queue.absent,
           "serve": queue.serve, "finish": queue.finish, "checkin": queue.check_in}


def _place(clinic_code: str, poli_code: str):
    """The clinic and poli of a desk URL: 404 if unknown, 403 if the user does not work that
    clinic's desk (``desk_access``), before anything is read or written."""
    clinic = clinic_of(g.tenant, clinic_code)
    poli = clinic.poli(poli_code) if clinic else None
    if poli is None:
        abort(404)
    if not may_work_desk(g.tenant, current_actor(), clinic.code):
        abort(403)
    return clinic, poli


def may_open_encounter(clinic_code: str) -> bool:
    """Whether the current user may open the encounters of ``clinic_code``'s visits: holds
    ``clinic.encounter`` and is one of that clinic's practitioners (the encounter route's check)."""
    if not current_user.is_authenticated or not has_permission(current_user, g.tenant, "clinic.encounter"):
        return False
    try:
        encounters.practitioner_of(g.tenant, clinic_code, current_user)
    except NotPractitioner:
        return False
    return True


@pages.route("/desk/")
@requires("clinic.desk")
def desk_home():
    return render_template("clinic/desk_home.html", clinics=desk_clinics(g.tenant, current_actor()))


@pages.route("/desk/<clinic_code>/<poli_code>", methods=["GET", "POST"])
@requires("clinic.desk")
def desk(clinic_code: str, poli_code: str):
    clinic, poli = _place(clinic_code, poli_code)
    form = RegisterForm()
    form.place.choices = place_choices(g.tenant, only=clinic.code)  # this desk books at its own clinic only
    status = 200
    if request.method == "GET":
        form.place.data, form.day.data = f"{clinic.code}/{poli.code}", local_date(g.tenant, utcnow())
    elif form.validate_on_submit():
        visit, created = register_with(form, "desk")
        if visit is not None:
            _registered(visit, created)
            return redirect(url_for(".desk", clinic_code=clinic.code, poli_code=poli.code))
        status = 400
    else:
        recheck(form, "desk")
        status = 400
    day = local_date(g.tenant, utcnow())
    with tenant_scope(g.tenant):
        from .figures import day_visits

        visits = day_visits(clinic.code, poli.code, day)
    shown = shown_estimates(g.tenant, clinic.code, poli.code, day)
    return render_template("clinic/desk.html", clinic=clinic, poli=poli, visits=visits, form=form, estimates=shown,
                           calls=sum(v.call_count for v in visits),
                           may_open_encounter=may_open_encounter(clinic.code),
                           remaining=sum(1 for v in visits if v.status in CALLABLE)), status


def _registered(visit, created: bool) -> None:
    """The desk's confirmation of a registration. The patient stands at the desk: one registered for
    today is checked in at once (the list then tells who is here, *waiting*, from who booked from
    afar, *booked*); one who booked before (SMS, portal, Mobile JKN) is found by their NIK or card,
    so the desk needs neither their number nor their code in a morning rush."""
    from flask_babel import format_date

    from .views import page_time

    facts = {"n": visit.number, "code": visit.booking_code, "time": page_time(shown_estimate(g.tenant, visit), zone=True),
             "day": format_date(visit.day, "medium")}
    arrived = False
    if visit.status == "booked" and visit.day == local_date(g.tenant, utcnow()):
        with unit_of_work() as work:
            queue.check_in(g.tenant, current_actor(), visit.id)
        arrived = work.ok
    if arrived:  # here now: called before those booked from afar, so their estimate moved up
        with tenant_scope(g.tenant):
            facts["time"] = page_time(shown_estimate(g.tenant, db.session.get(Visit, visit.id)), zone=True)
    if created:
        text = _("Registered: number %(n)s, booking code %(code)s, estimated %(time)s (%(day)s).", **facts)
        text += (" " + _("Checked in now.")) if arrived else ""
        if getattr(visit, "over_quota", False):
            text += " " + _("The day's quota was full: registered over it as a walk-in.")
        flash(text, "success")
        return
    if arrived:
        flash(_("Already booked: number %(n)s, booking code %(code)s, estimated %(time)s (%(day)s). "
                "Checked in now.", **facts), "success")
        return
    flash(_("Already booked: number %(n)s, booking code %(code)s, estimated %(time)s (%(day)s); %(status)s.",
            status=status_label(visit.status), **facts), "info")


@pages.route("/desk/<clinic_code>/<poli_code>/next", methods=["POST"])
@requires("clinic.desk")
def desk_next(clinic_code: str, poli_code: str):
    clinic, poli = _place(clinic_code, poli_code)
    seen = request.form.get("seen", "")
    with unit_of_work() as work:
        visit = queue.call_next(g.tenant, current_actor(), clinic.code, poli.code,
                                seen=int(seen) if seen.isdigit() and len(seen) < 10 else None)
    if work.ok:
        flash(_("Calling %(n)s.", n=visit.number), "success")
    else:
        flash(work.error.message, "error")
    return redirect(url_for(".desk", clinic_code=clinic.code, poli_code=poli.code))


@pages.route("/desk/visit/<int:visit_id>/<action>", methods=["POST"])
@requires("clinic.desk")
def desk_action(visit_id: int, action: str):
    step = ACTIONS.get(action)
    if step is None:
        abort(404)
    with tenant_scope(g.tenant):  # a visit's clinic never changes: the step reads the rest under its lock
        clinic_code = db.session.execute(select(Visit.clinic).where(Visit.id == visit_id)).scalar()
    if clinic_code is None:
        abort(404)
    if not may_work_desk(g.tenant, current_actor(), clinic_code):
        abort(403)
    with unit_of_work() as work:
        visit = step(g.tenant, current_actor(), visit_id)
        place, number = (visit.clinic, visit.poli), visit.number
    if work.ok:
        flash(DONE_MESSAGES[action](number), "success")
    else:
        flash(work.error.message, "error")
        with tenant_scope(g.tenant):
            row = db.session.get(Visit, visit_id)
            place = (row.clinic, row.poli)
    return redirect(url_for(".desk", clinic_code=place[0], poli_code=place[1]))


def _record_from(form: EncounterForm) -> Record:
    vitals = {name: getattr(form, name).data for name in encounters.VITALS}
    return Record(complaint=form.complaint.data or "", icd10=form.icd10.data or "", diagnosis=form.diagnosis.data or "",
                  prescription=form.prescription.data or "", vitals=vitals, reason=form.reason.data or "")


def _fill(form: EncounterForm, row) -> None:
    """The form shows the encounter as recorded (an amendment starts from it)."""
    form.complaint.data, form.icd10.data = row.complaint, row.icd10
    form.diagnosis.data, form.prescription.data = row.diagnosis, row.prescription
    for name, value in encounters.vitals_of(row).items():
        if hasattr(form, name):
            getattr(form, name).data = int(value) if name in ("systolic", "diastolic", "heart_rate") else f"{value:g}"


def patient_context(patient, clinic_code: str, today) -> dict:
    """The patient's name, medical record number at the clinic and age (years, from the NIK's birth
    date), for the practitioner's pages."""
    from core.kit import IdentityError, parse_nik

    from .models import MedicalRecord

    number = db.session.execute(select(MedicalRecord.number).where(
        MedicalRecord.patient_id == patient.id, MedicalRecord.clinic == clinic_code)).scalar()
    age = None
    if patient.nik:
        try:
            born = parse_nik(patient.nik, today=today).birth_date
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        except IdentityError:
            age = None
    return {"name": patient.name or "", "record": number or "", "age": age}


def _on_field(form, exc, quiet_fields: bool = False) -> None:
    """Each refusal of the encounter on its field (the visit's own, e.g. a later day, above the form)."""
    on_fields(form, exc, quiet_fields=quiet_fields)


@pages.route("/visit/<int:visit_id>/encounter", methods=["GET", "POST"])
@requires("clinic.encounter")
def encounter(visit_id: int):
    with tenant_scope(g.tenant):
        visit = db.session.get(Visit, visit_id)
        if visit is None:
            abort(404)
        if not may_open_encounter(visit.clinic):
            abort(403)
        patient = db.session.get(Patient, visit.patient_id)
        context = patient_context(patient, visit.clinic, local_date(g.tenant, utcnow()))
        current = db.session.execute(select(Encounter).where(Encounter.visit_id == visit.id)).scalar()
    form = EncounterForm()
    if request.method == "GET" and current is not None:
        _fill(form, current)
    if form.validate_on_submit():
        earlier_at = current.recorded_at if current is not None else None
        finishing, number = request.form.get("finish") == "1", visit.number  # "Save and finish": the patient leaves
        with unit_of_work(form, show=_on_field) as work:
            saved = encounters.record(g.tenant, current_actor(), current_user, visit_id, _record_from(form))
            unchanged = current is not None and saved.recorded_at == earlier_at  # the same values: nothing written
            if finishing:
                queue.finish_visit(g.tenant, current_actor(), visit_id)
        if work.ok and finishing:
            flash(_("Encounter saved; %(n)s finished.", n=number), "success")
            return redirect(url_for(".practice"))
        if work.ok:
            if unchanged:
                flash(_("Nothing changed: the encounter is as recorded."), "info")
            else:
                flash(_("Encounter amended; the earlier version is kept.") if current is not None
                      else _("Encounter saved."), "success")
            return redirect(url_for(".encounter", visit_id=visit_id))
    elif form.is_submitted() and not (form.meta.csrf and form.csrf_token.errors):
        # the form's own errors (a missing complaint, a pulse that is no number), and the service's too
        for problem in encounters.refusals(g.tenant, current_user, visit_id, _record_from(form)):
            _on_field(form, problem, quiet_fields=True)
    with unit_of_work() as reading:  # the read of the history is audited: its own small transaction
        past = encounters.history(g.tenant, current_actor(), current_user, visit.patient_id, visit.clinic)
        amended = encounters.revisions(e.id for e in past)
        rows = [(e, encounters.vital_rows(encounters.vitals_of(e)), len(amended.get(e.id, ()))) for e in past]
    return render_template("clinic/encounter.html", visit=visit, patient=patient, form=form, history=rows,
                           recorded=current is not None, context=context,
                           clinic=clinic_of(g.tenant, visit.clinic)), 400 if request.method == "POST" else 200


@pages.route("/practice/")
@requires("clinic.encounter")
def practice():
    """The practitioner's worklist: today's called, served and finished patients at their polis."""
    from .figures import day_visits

    day = local_date(g.tenant, utcnow())
    email = (current_user.email or "").strip().lower()
    lists = []
    with tenant_scope(g.tenant):
        for clinic in clinics(g.tenant):
            me = next((p for p in clinic.practitioners if p.email and p.email == email), None)
            if me is None:
                continue
            for poli in clinic.polis:
                if poli.code in me.polis:
                    visits = [v for v in day_visits(clinic.code, poli.code, day)
                              if v.status in ("called", "serving", "done")]
                    lists.append((clinic, poli, visits))
        people = {v.patient_id for _c, _p, visits in lists for v in visits}
        names = dict(db.session.execute(select(Patient.id, Patient.name).where(Patient.id.in_(people))).all()) \
            if people else {}
    return render_template("clinic/practice.html", lists=lists, names=names)
