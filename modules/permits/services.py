"""The life of a permit application, from draft to decision: functions of ``(tenant, actor, ...)``
that never touch Flask's request; the caller commits (a view through ``unit_of_work``).

- ``save_draft``: create or update a draft (the applicant saves half-filled and comes back);
  ``attach``: a requirement file, checked by content and size (``uploads.py``);
- ``submit``: every required field and file present, the fee computable -> a gap-free reference,
  the core SLA clock started (working days of the tenant's calendar), the core approval chain of
  the type's stages started, the applicant notified (OSS 09, then 20 while in the office's stages);
- ``approve_stage`` / ``return_to_stage`` (the chain; acting out of turn or twice is refused by it);
  ``ask_applicant`` (pause 41, or stop-and-reset 43 with ``reset=True``) and ``resubmit`` (resume 42,
  or restart from zero 44); ``reject``;
- when the last stage approves: an invoice (``payments.py``) or, for a free type, ready to sign.
Every change is audited (``permits.*``) and written to the timeline (``Event``).
"""
from __future__ import annotations

import functools

from core.kit import (
    Actor, NotFound, ValidationError, approvals, audit, calendar_of, db, for_change, gettext as _, issue_number,
    module_settings, sla, storage, tenant_scope, utcnow,
)

from . import names, oss
from .checks import applicant_problems, field_problems, raise_all, submit_problems
from .notices import N_, _DOMAIN, tell
from .models import (
    APPROVED, DRAFT, REJECTED, RETURNED, SUBMITTED, Application, Event, Upload,
)
from .settings import NAME, PermitType, permit_type
from .uploads import check as check_file

KIND = "application"          # the approval chain's kind: ("permits", "application", id)
CLOCK_KIND, CLOCK = "permit", "processing"   # the SLA clock: ("permit", id), "processing"
REFERENCE_PATTERN = "REG/{type}/{year}/{serial:05}"

_l = _DOMAIN.lazy_gettext  # the module's own catalogue, whatever the request's default domain

OWN_APPLICATION = "own_application"   # the code of the conflict-of-interest refusal (pages and API)


def refusal(message: str, where: str = "application", code: str | None = None) -> ValidationError:
    """A ``ValidationError`` whose ``message`` stays English (logs, the API's JSON) and whose
    ``local`` is the same message in the reader's language from this module's catalogue (pages)."""
    return ValidationError(message, where=where, code=code, local=_l(message))


def not_own(actor, application) -> None:
    """Refuse an officer's or admin's action on an application they themselves applied for
    (conflict of interest): ``ValidationError(code="own_application")``."""
    user = _user(actor)
    if user is not None and application.applicant_id is not None and getattr(user, "id", None) == application.applicant_id:
        raise refusal(N_("You applied for this permit yourself: another officer must act on it."),
                      code=OWN_APPLICATION)


def scoped(fn):
    """Run the service inside its tenant's scope, so every row it changes is written under it (on
    PostgreSQL Row Level Security would hide a row changed outside it)."""
    @functools.wraps(fn)
    def run(tenant, *args, **kw):
        with tenant_scope(tenant):
            return fn(tenant, *args, **kw)

    return run


def _user(actor):
    return actor.user if isinstance(actor, Actor) else actor


def ref(application) -> tuple[str, str]:
    return (CLOCK_KIND, str(application.id))


def clock_changed(actor):
    return sla.audited(actor, "permits.clock")


def log(tenant, actor, application, action: str, note: str = "", code: str | None = None,
        before: dict | None = None, after: dict | None = None, at=None) -> Event:
    """A timeline line (with the OSS code of the state reached, or ``code``) and its audit entry
    (``before``/``after`` added to the entry's own); ``at``: the line's time (now by default)."""
    with tenant_scope(tenant):
        event = Event(application_id=application.id, action=action, status=application.status,
                      oss_code=code if code is not None else oss.state_code(application), actor=str(actor)[:254],
                      note=note or "", at=at or utcnow())
        db.session.add(event)
        audit(tenant, actor, f"permits.{action}", "permits.application", application.id, before=before,
              after={"status": application.status, "oss_code": event.oss_code, "note": note or "", **(after or {})})
    return event


def get(tenant, application_id: int, lock: bool = False) -> Application:
    """The application, or ``NotFound``; ``lock``: read for a change (``for_change``)."""
    with tenant_scope(tenant):
        query = db.select(Application).where(Application.id == application_id)
        if lock:
            query = for_change(query, Application)
        found = db.session.execute(query).scalar_one_or_none()
    if found is None:
        raise NotFound("no such application")
    return found


def type_of(tenant, application) -> PermitType:
    found = permit_type(tenant, application.type_code)
    if found is None:
        raise ValidationError("this permit type is no longer offered", where="type", code="unknown_type")
    return found


@scoped
def save_draft(tenant, actor, type_code: str, applicant: dict, values: dict, application=None, *,
               now=None) -> Application:
    """Create (``application`` None) or update the actor's draft (``now``: its time, UTC, the clock's
    by default; the demo's earlier applications). ``applicant``: ``name`` (required),
    ``nik`` (16 digits, checked by the core), ``nib`` (13 digits, for a business), ``business_name``,
    ``phone``; ``values``: ``{field requirement code: text}`` (only the type's fields are kept).
    Refused with every problem at once (``checks.Problems``); a single one is raised as itself, e.g.
    a NIK/NIB of the wrong form as ``IdentityError`` (a ``ValidationError`` naming ``nik``/``nib``)."""
    ptype = permit_type(tenant, type_code)
    if ptype is None:
        raise ValidationError(_("Choose a permit type."), where="type", code="unknown_type")
    user = _user(actor)
    if application is not None and (application.applicant_id != user.id or application.status not in (DRAFT, RETURNED)):
        raise ValidationError(_("Only the applicant's own draft or returned application can be changed."),
                              where="application", code="not_editable")
    # every problem at once (checks.py): the name, the phone, the NIK/NIB, a number field
    raise_all(applicant_problems(applicant) + field_problems(ptype, values))
    name = " ".join(str(applicant.get("name") or "").split())[:200]
    phone = str(applicant.get("phone") or "").strip()[:20]
    with tenant_scope(tenant):
        app_ = application or Application(type_code=ptype.code, status=DRAFT, applicant_id=user.id, fields={})
        app_.applicant_name = name
        app_.business_name = " ".join(str(applicant.get("business_name") or "").split())[:200]
        app_.nik = applicant.get("nik") or None      # normalised and checked here (IdentityError)
        app_.nib = applicant.get("nib") or None
        app_.phone = phone
        known = {f["code"] for f in ptype.fields()}
        app_.fields = {k: str(v).strip()[:500] for k, v in (values or {}).items() if k in known}
        app_.updated_at = now or utcnow()
        if application is None:
            app_.created_at = app_.updated_at
            db.session.add(app_)
        db.session.flush()
        names.index(app_)   # the name search's words (names.py)
        if application is None:
            log(tenant, actor, app_, "draft", code="", at=now)
    return app_


@scoped
def attach(tenant, actor, application, requirement: str, data: bytes, filename: str = "") -> Upload:
    """Keep ``data`` as the file of the document ``requirement`` (the earlier one is replaced)."""
    ptype = type_of(tenant, application)
    req = next((r for r in ptype.documents() if r["code"] == requirement), None)
    if req is None:
        raise ValidationError(_("This permit does not ask for this document."), where=requirement,
                              code="unknown_requirement")
    if application.applicant_id != _user(actor).id or application.status not in (DRAFT, RETURNED):
        raise ValidationError(_("Files can be added only to one's own draft or returned application."),
                              where=requirement, code="not_editable")
    mime = check_file(data, req["accepted"], module_settings(tenant, NAME)["max_upload_kb"], requirement, filename)
    key = storage().put(tenant, data, mime, filename=filename[:100] or f"{requirement}.bin")
    with tenant_scope(tenant):
        upload = db.session.execute(db.select(Upload).where(
            Upload.application_id == application.id, Upload.requirement == requirement)).scalar_one_or_none()
        if upload is None:
            upload = Upload(application_id=application.id, requirement=requirement)
            db.session.add(upload)
        upload.storage_key, upload.content_type, upload.size = key, mime, len(data)
        upload.filename, upload.uploaded_at = (filename or "")[:200], utcnow()
        db.session.flush()
        audit(tenant, actor, "permits.upload", "permits.application", application.id,
              after={"requirement": requirement, "type": mime, "size": len(data)})
    return upload


def uploads_of(tenant, application) -> dict[str, Upload]:
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Upload).where(Upload.application_id == application.id)).scalars()
        return {u.requirement: u for u in rows}


def missing(tenant, application) -> list[str]:
    """What still keeps the draft from being submitted, in the form's order: ``"nik"`` when the
    applicant's NIK is not given, then the codes of the required fields and documents not given yet
    and of a fee field left empty (the same ``checks.submit_problems`` that ``submit`` refuses with)."""
    ptype = type_of(tenant, application)
    problems = submit_problems(ptype, {"nik": application.nik}, application.fields or {},
                               set(uploads_of(tenant, application)))
    return list(dict.fromkeys(p.where for p in problems))


@scoped
def submit(tenant, actor, application_id: int, *, now=None) -> Application:
    """Send the draft to the office (see the module docstring). Refused with every problem at once
    (``checks.Problems``, or the one ``ValidationError``): each missing requirement by its code, a
    field the fee formula cannot read, a missing NIK. ``now``: the instant it is sent (UTC, the
    clock's by default): the service level runs from it (the demo's overdue application)."""
    application = get(tenant, application_id, lock=True)
    if application.applicant_id != _user(actor).id:
        raise NotFound("no such application")
    if application.status == RETURNED:
        return resubmit(tenant, actor, application_id)
    if application.status != DRAFT:
        raise ValidationError(_("This application was already submitted."), where="application",
                              code="already_submitted")
    ptype = type_of(tenant, application)
    raise_all(submit_problems(ptype, {"nik": application.nik}, application.fields,
                              set(uploads_of(tenant, application))) + field_problems(ptype, application.fields))
    application.fee_amount = ptype.fee.amount_for(application.fields)
    now = now or utcnow()
    with tenant_scope(tenant):
        _allocation, application.reference = issue_number(tenant, (NAME, "application"), REFERENCE_PATTERN, "year",
                                                placeholders=["type"], type=ptype.code)
        application.status, application.submitted_at, application.stage = SUBMITTED, now, 0
        db.session.flush()
        approvals.start_chain(tenant, NAME, KIND, application.id, ptype.approval_steps(), actor)
        clock = sla.start(tenant, ref(application), CLOCK, sla.WORKING_DAYS, ptype.sla_days, at=now,
                          on_change=clock_changed(actor))
        application.due_at, application.updated_at = clock.due_at, now
        log(tenant, actor, application, "submit", code=oss.SUBMITTED_CODE, at=now)
        tell(tenant, application, N_("Application %(reference)s (%(type)s) received. It is to be completed "
                                     "within %(days)s working days."),
             reference=application.reference, type={"id": ptype.name_id, "en": ptype.name_en}, days=ptype.sla_days)
    return application


def _acting(tenant, actor, application_id: int, step: int) -> Application:
    application = get(tenant, application_id, lock=True)
    if application.status != SUBMITTED:
        raise approvals.OutOfTurn("this application is not awaiting a stage's action now",
                                  local=_l("This application is not awaiting a stage's action now."))
    not_own(actor, application)
    return application


@scoped
def approve_stage(tenant, actor, application_id: int, step: int, note: str = "") -> Application:
    """``actor`` approves the stage ``step`` they were shown (``ApprovalError`` when it is not their
    turn, not theirs, or they already acted). After the last stage: an invoice, or ready to sign."""
    application = _acting(tenant, actor, application_id, step)
    chain = approvals.approve(tenant, NAME, KIND, application.id, _user(actor), step=step, note=note)
    with tenant_scope(tenant):
        application.stage = chain.current
        application.updated_at = utcnow()
        if chain.status == approvals.APPROVED:
            _stages_done(tenant, actor, application)
        else:
            log(tenant, actor, application, "approve", note=note)
            label = ptype_stage_label(tenant, application, step)
            tell(tenant, application, N_("Application %(reference)s: stage %(stage)s is done; passed on to the "
                                         "next stage."), reference=application.reference, stage=label)
    return application


def ptype_stage_label(tenant, application, step: int) -> dict:
    """The labels (``{"id", "en"}``) of stage ``step`` of the application's type (for the applicant's SMS)."""
    ptype = permit_type(tenant, application.type_code)
    stages = ptype.stages if ptype else []
    if 0 <= step < len(stages):
        return {"id": stages[step]["label_id"], "en": stages[step]["label_en"]}
    return {"id": str(step + 1), "en": str(step + 1)}


def _stages_done(tenant, actor, application, note: str = "") -> None:
    from .payments import open_invoice

    application.decided_at = utcnow()
    log(tenant, actor, application, "approved", note=note, code=oss.VERIFIED_CODE)  # OSS 45
    if application.fee_amount > 0:
        open_invoice(tenant, actor, application)   # OSS 30 until paid
    else:
        application.status = APPROVED
        tell(tenant, application, N_("Application %(reference)s approved. The permit will be signed shortly."),
             reference=application.reference)


@scoped
def return_to_stage(tenant, actor, application_id: int, step: int, to_step: int, note: str) -> Application:
    """Send the application back to an earlier stage with a ``note`` (the chain's ``return_to``)."""
    application = _acting(tenant, actor, application_id, step)
    chain = approvals.return_to(tenant, NAME, KIND, application.id, _user(actor), step=step, to_step=to_step, note=note)
    application.stage = chain.current
    log(tenant, actor, application, "return_stage", note=note)
    return application


@scoped
def ask_applicant(tenant, actor, application_id: int, step: int, note: str, reset: bool = False) -> Application:
    """The stage ``step`` asks the applicant for what is missing (``note``, required): the clock
    stops (OSS 41), or with ``reset`` stops and resets (43: the application is to be corrected and
    the full service level runs again when it comes back). The applicant is told."""
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError(_("Say what the applicant must add or correct."), where="note")
    application = _acting(tenant, actor, application_id, step)
    chain = approvals.get_chain(tenant, NAME, KIND, application.id)
    if chain.current != step:
        raise approvals.OutOfTurn(f"step {step} is not awaiting action; step {chain.current} is",
                                  local=_l("This stage is not awaiting action now."))
    if not approvals.may_act(tenant, chain.steps[step], _user(actor)):
        raise approvals.NotHolder("you do not act on this stage", local=_l("You do not act on this stage."))
    step = wait_on_applicant(tenant, actor, application, reset=reset)
    application.status = RETURNED
    log(tenant, actor, application, "ask_applicant", note=note, code=oss.CLOCK[step])
    tell(tenant, application, N_("Application %(reference)s needs completing: %(note)s"),
         reference=application.reference, note=note)
    return application


def wait_on_applicant(tenant, actor, application, reset: bool = False) -> str:
    """The one way the clock waits on the applicant (asked to complete, an invoice to pay): paused
    (41) or, with ``reset``, stopped and reset (43). While it waits the application has no deadline
    (``due_at`` None), so nothing shows it due or overdue. Returns the step (``pause``/``reset``)."""
    (sla.reset if reset else sla.pause)(tenant, ref(application), CLOCK, on_change=clock_changed(actor))
    application.due_at = None
    return "reset" if reset else "pause"


def back_from_applicant(tenant, actor, application) -> str:
    """The applicant has answered (resubmitted, paid): the clock resumes with the working days left
    (42, the deadline moved on by the working days waited) or, after a reset, restarts from zero
    (44); ``due_at`` is the clock's new deadline. Returns the step (``resume``/``restart``)."""
    clock = sla.clock_of(tenant, ref(application), CLOCK)
    step = "restart" if clock.state == sla.STOPPED else "resume"
    clock = getattr(sla, step)(tenant, ref(application), CLOCK, on_change=clock_changed(actor))
    application.due_at = clock.due_at
    return step


@scoped
def resubmit(tenant, actor, application_id: int) -> Application:
    """The applicant sends the completed application back: the clock resumes (42, the deadline moved
    on by the working days waited) or restarts from zero (44, after a reset). Refused with every
    problem at once, as ``submit``."""
    application = get(tenant, application_id, lock=True)
    if application.applicant_id != _user(actor).id:
        raise NotFound("no such application")
    if application.status != RETURNED:
        raise ValidationError(_("This application is not waiting for you."), where="application", code="not_returned")
    ptype = type_of(tenant, application)
    raise_all(submit_problems(ptype, {"nik": application.nik}, application.fields,
                              set(uploads_of(tenant, application))) + field_problems(ptype, application.fields))
    application.fee_amount = type_of(tenant, application).fee.amount_for(application.fields)
    step = back_from_applicant(tenant, actor, application)
    application.status, application.updated_at = SUBMITTED, utcnow()
    log(tenant, actor, application, "resubmit", code=oss.CLOCK[step])
    return application


@scoped
def reject(tenant, actor, application_id: int, step: int, note: str) -> Application:
    """The stage ``step`` refuses the application with its reason (``note``): the clock finishes."""
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError(_("Give the reason for refusing."), where="note")
    application = _acting(tenant, actor, application_id, step)
    chain = approvals.get_chain(tenant, NAME, KIND, application.id)
    if chain.current != step or not approvals.may_act(tenant, chain.steps[step], _user(actor)):
        raise approvals.OutOfTurn("this stage is not yours to act on now",
                                  local=_l("This stage is not yours to act on now."))
    close_clock(tenant, actor, application)
    application.status, application.decided_at, application.due_at = REJECTED, utcnow(), None
    log(tenant, actor, application, "reject", note=note)
    tell(tenant, application, N_("Application %(reference)s refused: %(note)s"), reference=application.reference,
         note=note)
    return application


def close_clock(tenant, actor, application) -> None:
    """Finish the clock, keeping for the figures the office's working days and whether the decision
    came by the deadline in force."""
    clock = sla.clock_of(tenant, ref(application), CLOCK)
    now = utcnow()
    if clock is not None:
        application.office_days = clock.spent(calendar_of(tenant), sla.RUNNING, now)
        application.within_sla = clock.due_at is None or now <= clock.due_at
    sla.finish(tenant, ref(application), CLOCK, on_change=clock_changed(actor))


def timeline(tenant, application) -> list[Event]:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Event).where(Event.application_id == application.id)
                                       .order_by(Event.id)).scalars())


def working_days_taken(tenant, application) -> int | None:
    """Working days the office itself took (the clock's running time), for the figures."""
    clock = sla.clock_of(tenant, ref(application), CLOCK)
    return None if clock is None else clock.spent(calendar_of(tenant), sla.RUNNING, utcnow())

