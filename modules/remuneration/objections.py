"""Objections (keberatan): an employee objects to one month's TPP within ``objection_days`` working
days (the tenant's calendar) after the month was last run; the core's approval chain takes it to the
supervisor (the account of the employee's ``supervisor_email``, a core ``user`` step; where none is
set or it names no user of the tenant, any officer of the employee's agency), then the personnel
agency (admin), each approving with a note; the last approval upholds it (``granted``: its correction
in rupiah becomes an adjustment of the objected month, ``grants.py``); either step may instead reject
it with a reason (``rejected``, ``reject_step``, the core's ``approvals.reject``: the TPP stays); the
personnel agency may also return it to the supervisor with a reason (``return_step``, the core's ``return_to``). The objector never
decides their own objection (``OwnObjection``). Nothing here stores the chain's state (core.approvals).
A run again of the open month updates the employee's result in place (``runs``): the objection and
its chain stay.

Errors: ``ValidationError`` codes ``objection_window_closed`` (after the window), ``objection_twice``
(an open objection to the same month), ``objection_upheld`` (one to the same month was upheld;
``second_refused`` says why a rejected one does not count), ``validation_error`` (an empty reason); ``OwnObjection``
(``objection_own``: the objector, the employee or whoever filed it, acting on it); ``ApprovalError``
(out of turn, not the step's holder, twice) from the core.
"""
from __future__ import annotations

from core.kit import ApprovalError, ValidationError, approvals, audit, calendar_of, db, gettext as _, tenant_scope, utcnow

from .amounts import parse_rupiah
from .labels import PERSONNEL_STEP, SUPERVISOR_STEP, month_words
from .models import Employee, Objection, Result, Run
from .settings import settings_of

MODULE, KIND = "remuneration", "objection"
LAST_STEP = 1  # the personnel agency's (``_steps``): its approval upholds the objection


class OwnObjection(ApprovalError):
    """The objector (the employee, or whoever filed it for them) acting on their own objection."""

    code = "objection_own"


def _steps(tenant, employee: Employee) -> list[dict]:
    """The chain: the employee's supervisor (their ``supervisor_email``, where it names a user of the
    tenant other than the employee), else an officer of their agency; then the personnel agency."""
    first = {"role": "officer", "unit": employee.agency, "label": SUPERVISOR_STEP}
    supervisor = (employee.supervisor_email or "").strip().lower()
    if supervisor and supervisor != (employee.email or "").strip().lower():
        try:
            first = approvals.check_steps(tenant, [{"user": supervisor, "label": SUPERVISOR_STEP}])[0]
        except ValidationError as error:
            if error.code != "unknown_user":
                raise
    return [first, {"role": "admin", "label": PERSONNEL_STEP}]


def _objector(tenant, objection: Objection, user) -> bool:
    """Whether ``user`` is the objection's employee or the one who filed it."""
    email = (getattr(user, "email", "") or "").strip().lower()
    employee = db.session.get(Employee, objection.employee_id)
    if email and employee is not None and email == (employee.email or "").strip().lower():
        return True
    chain = approvals.get_chain(tenant, MODULE, KIND, objection.id)
    uid = getattr(user, "id", None)
    return uid is not None and chain is not None and db.session.execute(
        db.select(approvals.ApprovalAction.id).where(approvals.ApprovalAction.chain_id == chain.id,
                                                     approvals.ApprovalAction.action == "start",
                                                     approvals.ApprovalAction.actor_id == uid).limit(1)).first() is not None


def may_decide(tenant, objection: Objection, step: dict, user) -> bool:
    """Whether ``user`` may act on the objection's awaiting ``step`` (never its objector)."""
    with tenant_scope(tenant):
        return approvals.may_act(tenant, step, user) and not _objector(tenant, objection, user)


def deadline(tenant, run: Run):
    """The last instant (UTC) an objection to ``run`` is taken: the end of the N-th working day after it was run."""
    return calendar_of(tenant).working_days_after(run.computed_at, settings_of(tenant)["objection_days"])


UPHELD = ("granted", "resolved")  # "resolved": approved before an upheld objection carried its correction


def second_refused(filed: list[Objection], corrections: list[dict] = ()) -> ValidationError | None:
    """Why another objection to a month with the objections ``filed`` is refused (None: it is taken),
    the one rule of the service and of the employee's page (which shows the form only when None):
    - one is open (``objection_twice``): it is being decided, a second would start a second chain on
      the same result;
    - one was upheld (``objection_upheld``): its correction (an adjustment, among the month's
      ``corrections``, ``grants.corrections``) is paid with the month it names, or due in it while
      that month is open (said so: re-trial of issue 16 read "already paid" of a correction due next
      month), and a second would correct the same month again through the same chain; any other
      correction of the month is the personnel agency's adjustment (``adjust``);
    - a rejected one does not count: it changed nothing, so within the window the employee may object
      again, e.g. with the evidence the rejection asked for."""
    statuses = {o.status for o in filed}
    if "open" in statuses:
        return ValidationError(_("An objection to this month is open already."), where="month", code="objection_twice")
    upheld = [o.id for o in filed if o.status in UPHELD]
    if upheld:
        made = next((c for c in corrections if c.get("objection") in upheld), None)
        if made is None:  # upheld before its correction was recorded with it ("resolved")
            said = _("An objection to this month was upheld already; any other correction is made by the personnel "
                     "agency.")
        elif made["paid"]:
            said = _("An objection to this month was upheld already and its correction was paid with %(month)s; any "
                     "other correction is made by the personnel agency.", month=month_words(*made["paid_in"]))
        else:
            said = _("An objection to this month was upheld already; its correction will be paid with %(month)s. Any "
                     "other correction is made by the personnel agency.", month=month_words(*made["paid_in"]))
        return ValidationError(said, where="month", code="objection_upheld")
    return None


def file_objection(tenant, actor, employee: Employee, year: int, month: int, reason: str) -> Objection:
    """Object to ``employee``'s result for ``year``-``month``; starts the approval chain. Audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what is wrong."), where="reason")
    if len(reason) > 2000:
        raise ValidationError(_("At most 2,000 characters."), where="reason")
    with tenant_scope(tenant):
        found = db.session.execute(db.select(Run, Result).join(Result, Result.run_id == Run.id).where(
            Run.year == year, Run.month == month, Result.employee_id == employee.id)).first()
        if found is None:
            raise ValidationError(_("No TPP for %(month)s.", month=month_words(year, month)), where="month")
        run, result = found
        if utcnow() > deadline(tenant, run):
            raise ValidationError(_("The time to object to %(month)s has passed.", month=month_words(year, month)), where="month",
                                  code="objection_window_closed")
        from .grants import corrections

        second = second_refused(objections_to(tenant, result.id), corrections(tenant, employee.id, year, month))
        if second is not None:
            raise second
        objection = Objection(result_id=result.id, employee_id=employee.id, reason=reason)
        db.session.add(objection)
        db.session.flush()
        approvals.start_chain(tenant, MODULE, KIND, objection.id, _steps(tenant, employee), actor)
        audit(tenant, actor, "remuneration.objection.file", "objection", objection.id,
              after={"month": f"{year}-{month:02d}", "employee": employee.id})
    return objection


def objections_to(tenant, result_id: int) -> list[Objection]:
    """The objections filed against one result (an employee's month), oldest first."""
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(Objection).where(Objection.result_id == result_id)
                                       .order_by(Objection.filed_at, Objection.id)).scalars())


def _to_decide(tenant, actor, objection_id: int, note: str) -> tuple[Objection, str]:
    """The objection ``actor`` decides with ``note`` (inside the tenant's scope): a note is required,
    and the objector never decides their own (``OwnObjection``)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write the decision."), where="note")
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        raise ValidationError(_("No such objection."), where="objection")
    if _objector(tenant, objection, actor):
        raise OwnObjection(_("You filed this objection: someone else decides it."), where="objection")
    return objection, note


def _amount(value) -> int:
    """The correction a granted objection makes: whole rupiah, signed, not 0 (a form's text accepted)."""
    amount = 0 if value is None or str(value).strip() == "" else parse_rupiah(value)
    if amount == 0:
        raise ValidationError(_("Upholding an objection corrects its TPP: write the amount in whole rupiah "
                                "(negative to recover), other than 0."), where="amount")
    return amount


def resolve_step(tenant, actor, objection_id: int, step: int, note: str, amount=None) -> Objection:
    """Approve the step ``step`` of an objection's chain with ``note``. The last step upholds it
    (``granted``) and makes its correction of ``amount`` rupiah (required there, signed): an
    adjustment of the objected month (``grants.grant``), audited. Earlier steps recommend it."""
    with tenant_scope(tenant):
        objection, note = _to_decide(tenant, actor, objection_id, note)
        chain = approvals.get_chain(tenant, MODULE, KIND, objection.id)
        # the amount checked once it is this step's turn (else the chain's own refusal says why)
        due = (chain is not None and chain.status == approvals.PENDING and step == chain.current
               and getattr(actor, "id", None) not in chain.approvers)
        value = _amount(amount) if due and step == len(chain.steps) - 1 else None
        chain = approvals.approve(tenant, MODULE, KIND, objection.id, actor, step=step, note=note)
        if chain.status == approvals.APPROVED:
            from .grants import grant

            adjustment = grant(tenant, actor, objection, value, note)
            objection.status, objection.decision = "granted", note
            audit(tenant, actor, "remuneration.objection.grant", "objection", objection.id,
                  before={"status": "open"}, after={"status": "granted", "decision": note, "amount": value,
                                                    "adjustment": adjustment.id,
                                                    "paid_in": f"{adjustment.year}-{adjustment.month:02d}"})
    return objection


def reject_step(tenant, actor, objection_id: int, step: int, note: str) -> Objection:
    """The step ``step`` (whichever awaits) rejects the objection with ``note``, the reason (required):
    the chain ends (``approvals.reject``), the TPP stays as it is. Audited."""
    with tenant_scope(tenant):
        objection, note = _to_decide(tenant, actor, objection_id, note)
        approvals.reject(tenant, MODULE, KIND, objection.id, actor, step=step, note=note)
        objection.status, objection.decision = "rejected", note
        audit(tenant, actor, "remuneration.objection.reject", "objection", objection.id,
              before={"status": "open"}, after={"status": "rejected", "decision": note})
    return objection


def return_step(tenant, actor, objection_id: int, step: int, note: str) -> Objection:
    """The current step ``step`` (after the first) sends the objection back to the step before it
    with ``note`` (the reason; the core's ``approvals.return_to``): that step decides again."""
    with tenant_scope(tenant):
        objection, note = _to_decide(tenant, actor, objection_id, note)
        approvals.return_to(tenant, MODULE, KIND, objection.id, actor, step=step, to_step=step - 1, note=note)
    return objection


def decisions(tenant, objection_id: int) -> list[dict]:
    """The decisions on an objection so far, oldest first (the core's chain history without its
    start): ``{"at", "action": "approve"|"return", "step_label", "note"}``."""
    with tenant_scope(tenant):
        return [h for h in approvals.history(tenant, MODULE, KIND, objection_id) if h["action"] != "start"]


def state(tenant, objection: Objection) -> dict | None:
    """The step awaiting a decision on an open objection (``approvals.awaiting``), None once resolved."""
    if objection.status != "open":
        return None
    with tenant_scope(tenant):
        return approvals.awaiting(tenant, approvals.get_chain(tenant, MODULE, KIND, objection.id))


def open_objections(tenant, offset: int = 0, limit: int | None = 1000) -> list[tuple[Objection, Employee, dict | None]]:
    """Open objections, oldest first, each with its employee and the step awaiting action (``limit``
    of them from ``offset``; None: all)."""
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Objection, Employee).join(Employee, Employee.id == Objection.employee_id)
                                  .where(Objection.status == "open").order_by(Objection.filed_at, Objection.id)
                                  .offset(offset).limit(limit)).all()
        return [(o, e, approvals.awaiting(tenant, approvals.get_chain(tenant, MODULE, KIND, o.id))) for o, e in rows]


def about(tenant, objection_ids) -> dict[int, dict]:
    """What each objection objects to: ``{id: {"month": "YYYY-MM", "agency", "tpp"}}``, the agency and
    TPP of the objected month's result (as that month was computed, not the record's today)."""
    ids = list(objection_ids)
    if not ids:
        return {}
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Objection.id, Run.year, Run.month, Result.agency, Result.tpp)
                                  .join(Result, Result.id == Objection.result_id).join(Run, Run.id == Result.run_id)
                                  .where(Objection.id.in_(ids))).all()
    return {i: {"month": f"{y}-{m:02d}", "agency": agency, "tpp": tpp} for i, y, m, agency, tpp in rows}
