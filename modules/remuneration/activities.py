"""Activity logs (aktivitas, e-kinerja) decided by the supervisor in the app (issue 16.3: "activity
logs approved by the supervisor").

An employee logs what they did on a working day (minutes and/or points, and a description); the
log is *pending* until their supervisor (atasan langsung: the account named in the employee's
``supervisor_email``) approves it or rejects it with a reason. Only approved logs count toward the
month's performance (``runs._inputs``); a supervisor sees and decides only their own subordinates'
logs, never their own. Logs imported from a file (``inputs.import_activities``) were approved in the
source system and arrive approved, marked ``file:NAME``.

A log on a day of a closed month is refused, and so is a decision on one (``MonthClosed``): a closed
month is immutable, corrections are adjustments in a later month. Every log and decision is audited.

Errors: ``ValidationError`` (``where`` the field: a day in the future or not a date, minutes beyond a
day, nothing done, no description, a rejection without a reason, a log that is not pending or not
a subordinate's: ``activity_not_yours``), ``MonthClosed``.
"""
from __future__ import annotations

from datetime import date

from core.kit import NotFound, ValidationError, audit, db, for_change, gettext as _, local_date, tenant_scope, utcnow

from . import _l
from .labels import month_words
from .models import Activity, Employee, Run
from .refusals import refuse
from .runs import MonthClosed

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)
MAX_MINUTES = 24 * 60
MAX_POINTS = 1000
MAX_TEXT = 500
MAX_ID = 2**31 - 1  # the id columns' INTEGER


def _closed(tenant, day: date) -> bool:
    return db.session.execute(db.select(Run.id).where(Run.year == day.year, Run.month == day.month,
                                                      Run.status == "closed")).first() is not None


def _whole(value, field: str, highest: int) -> int:
    try:
        number = int(str(value if value not in (None, "") else 0).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= highest:
        raise ValidationError(_("A whole number from 0 to %(n)s.", n=highest), where=field)
    return number


def parse_day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(_("Choose a day (YYYY-MM-DD)."), where="day") from None


def stored_minutes(pairs, approved_only: bool = False) -> dict[tuple[int, date], int]:
    """The stored minutes of each ``(employee_id, day)`` of ``pairs`` (inside the tenant's scope):
    of the logs not rejected (pending and approved), or only of the approved ones."""
    pairs = set(pairs)
    if not pairs:
        return {}
    days = [d for _e, d in pairs]
    query = (db.select(Activity.employee_id, Activity.day, db.func.sum(Activity.minutes))
             .where(Activity.employee_id.in_(sorted({e for e, _d in pairs})), Activity.day >= min(days),
                    Activity.day <= max(days))
             .group_by(Activity.employee_id, Activity.day))
    counted = Activity.approved.is_(True) & Activity.decided_at.is_not(None)
    query = query.where(counted if approved_only else (Activity.decided_at.is_(None) | counted))
    return {(e, d): int(m or 0) for e, d, m in db.session.execute(query) if (e, d) in pairs}


def over_the_day(new, approved_only: bool = False) -> list[tuple[int, int]]:
    """The one day-total rule of the page, the file import and the approval: the minutes of an
    employee's day (those stored, ``stored_minutes``, and the ``new`` ones) are at most
    ``MAX_MINUTES``. ``new`` is ``[(employee_id, day, minutes), ...]`` in order; returns ``[(index,
    total)]`` of each that takes its day over (inside the tenant's scope)."""
    totals = stored_minutes({(e, d) for e, d, _m in new}, approved_only)
    over = []
    for index, (employee_id, day, minutes) in enumerate(new):
        totals[(employee_id, day)] = totals.get((employee_id, day), 0) + minutes
        if minutes and totals[(employee_id, day)] > MAX_MINUTES:
            over.append((index, totals[(employee_id, day)]))
    return over


def over_the_day_said(day: date, total: int):
    """What ``over_the_day`` refuses, said (lazy, the module's catalogue)."""
    return _l("The activities of %(day)s would total %(total)s minutes: at most %(n)s a day.",
              day=day.isoformat(), total=total, n=MAX_MINUTES)


def _lock(employee_id: int) -> None:
    """Serialise the changes of one employee's logs (a day's total is checked, then written)."""
    db.session.execute(for_change(db.select(Employee.id).where(Employee.id == employee_id), Employee)).first()


def log_activity(tenant, actor, employee: Employee, day, minutes, points, description: str) -> Activity:
    """``employee`` logs an activity on ``day``; pending until the supervisor decides. Audited."""
    day = parse_day(day)
    if day > local_date(tenant, utcnow()):
        raise ValidationError(_("That day has not come yet."), where="day")
    minutes, points = _whole(minutes, "minutes", MAX_MINUTES), _whole(points, "points", MAX_POINTS)
    if minutes == 0 and points == 0:
        raise ValidationError(_("Give the minutes or the points of the work."), where="minutes")
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Say what was done."), where="description")
    if len(description) > MAX_TEXT:
        raise ValidationError(_("At most %(n)s characters.", n=MAX_TEXT), where="description")
    with tenant_scope(tenant):
        if _closed(tenant, day):
            raise MonthClosed(_("%(month)s is closed: corrections go into a later month", month=month_words(day.year, day.month)),
                              where="day")
        _lock(employee.id)
        same = db.session.execute(db.select(Activity.id).where(
            Activity.employee_id == employee.id, Activity.day == day, Activity.minutes == minutes,
            Activity.points == points, Activity.description == description,
            Activity.decided_at.is_(None) | Activity.approved.is_(True)).limit(1)).first()
        if same is not None:  # the form sent twice: one log (a file's same row is skipped likewise)
            raise refuse(ValidationError, _l("This activity is logged already for %(day)s.", day=day.isoformat()),
                         where="description", code="activity_repeated")
        for _index, total in over_the_day([(employee.id, day, minutes)]):
            raise refuse(ValidationError, over_the_day_said(day, total), where="minutes", code="day_over")
        activity = Activity(employee_id=employee.id, day=day, minutes=minutes, points=points,
                            description=description, approved=False, logged_at=utcnow())
        db.session.add(activity)
        db.session.flush()
        audit(tenant, actor, "remuneration.activity.log", "activity", activity.id,
              after={"employee": employee.id, "day": day.isoformat(), "minutes": minutes, "points": points})
    return activity


def _subordinates(supervisor_email: str):
    return db.func.lower(Employee.supervisor_email) == (supervisor_email or "").strip().lower()


def decide(tenant, actor, supervisor_email: str, activity_ids, approve: bool, reason: str = "") -> list[Activity]:
    """The supervisor ``supervisor_email`` approves (or rejects, with ``reason``) the pending logs
    ``activity_ids`` of their subordinates; all or none. Audited, one entry per log. ``NotFound``
    (404 on the page) when an id is no log of the tenant (re-trial of issue 16: it answered "only the
    employee's own supervisor decides"); ``activity_not_yours`` when one is not a subordinate's."""
    ids = sorted({int(i) for i in activity_ids})
    if any(not 1 <= i <= MAX_ID for i in ids):
        raise ValidationError(_("Choose at least one activity."), where="activity")
    if not ids:
        raise ValidationError(_("Choose at least one activity."), where="activity")
    with tenant_scope(tenant):
        known = set(db.session.execute(db.select(Activity.id).where(Activity.id.in_(ids))).scalars())
    if len(known) != len(ids):
        raise NotFound(_("No such activity."), where="activity")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError(_("Say why the activity is rejected."), where="reason")
    if len(reason) > MAX_TEXT:
        raise ValidationError(_("At most %(n)s characters.", n=MAX_TEXT), where="reason")
    email = (supervisor_email or "").strip().lower()
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(Activity, Employee).join(Employee, Employee.id == Activity.employee_id)
                                  .where(Activity.id.in_(ids), _subordinates(email))).all()
        if not email or len(rows) != len(ids) or any(e.email.strip().lower() == email for _a, e in rows):
            raise ValidationError(_("Only the employee's own supervisor decides an activity."), where="activity",
                                  code="activity_not_yours")
        closed = {(r.year, r.month) for r in db.session.execute(db.select(Run.year, Run.month)
                                                                .where(Run.status == "closed"))}
        for activity, _employee in rows:
            if activity.decided_at is not None:
                raise ValidationError(_("The activity of %(day)s was decided already.", day=activity.day.isoformat()),
                                      where="activity", code="activity_decided")
            if (activity.day.year, activity.day.month) in closed:
                raise MonthClosed(_("%(month)s is closed: corrections go into a later month",
                                    month=month_words(activity.day.year, activity.day.month)), where="activity")
        if approve:  # approved, a day's minutes stay within the day (logs stored before the rule, or a file's)
            for employee_id in sorted({a.employee_id for a, _e in rows}):
                _lock(employee_id)
            new = sorted(((a.employee_id, a.day, a.minutes) for a, _e in rows), key=lambda n: (n[1], n[0]))
            for index, total in over_the_day(new, approved_only=True):
                raise refuse(ValidationError, over_the_day_said(new[index][1], total), where="activity",
                             code="day_over")
        decided = []
        for activity, employee in rows:
            activity.approved, activity.decided_at, activity.decided_by = approve, utcnow(), email
            activity.reason = "" if approve else reason
            audit(tenant, actor, "remuneration.activity." + ("approve" if approve else "reject"), "activity", activity.id,
                  before={"status": PENDING},
                  after={"status": APPROVED if approve else REJECTED, "employee": employee.id,
                         "day": activity.day.isoformat(), **({} if approve else {"reason": reason})})
            decided.append(activity)
        db.session.flush()
    return decided


def _status(query, status: str):
    if status == PENDING:
        return query.where(Activity.decided_at.is_(None))
    if status == APPROVED:
        return query.where(Activity.decided_at.is_not(None), Activity.approved.is_(True))
    if status == REJECTED:
        return query.where(Activity.decided_at.is_not(None), Activity.approved.is_(False))
    return query


def own(tenant, employee_id: int, first: date, last: date, offset: int = 0, limit: int | None = 50) -> list[Activity]:
    """An employee's logs from ``first`` to ``last`` (inclusive), newest day first."""
    with tenant_scope(tenant):
        return list(db.session.execute(
            db.select(Activity).where(Activity.employee_id == employee_id, Activity.day >= first, Activity.day <= last)
            .order_by(Activity.day.desc(), Activity.id.desc()).offset(offset).limit(limit)).scalars())


def totals(tenant, employee_id: int, first: date, last: date) -> dict[str, dict]:
    """``{status: {"count", "minutes", "points"}}`` of an employee's logs from ``first`` to ``last``."""
    out = {s: {"count": 0, "minutes": 0, "points": 0} for s in STATUSES}
    with tenant_scope(tenant):
        rows = db.session.execute(
            db.select(Activity.decided_at.is_(None), Activity.approved, db.func.count(), db.func.sum(Activity.minutes),
                      db.func.sum(Activity.points))
            .where(Activity.employee_id == employee_id, Activity.day >= first, Activity.day <= last)
            .group_by(Activity.decided_at.is_(None), Activity.approved)).all()
    for pending, approved, count, minutes, points in rows:
        row = out[PENDING if pending else APPROVED if approved else REJECTED]
        row["count"] += count
        row["minutes"] += int(minutes or 0)
        row["points"] += int(points or 0)
    return out


def for_supervisor(tenant, supervisor_email: str, status: str = PENDING, offset: int = 0,
                   limit: int | None = 50) -> list[tuple[Activity, Employee]]:
    """The logs of ``supervisor_email``'s subordinates (never their own) with ``status`` (``""``:
    any), oldest day first, each with its employee."""
    email = (supervisor_email or "").strip().lower()
    if not email:
        return []
    query = (db.select(Activity, Employee).join(Employee, Employee.id == Activity.employee_id)
             .where(_subordinates(email), db.func.lower(Employee.email) != email)
             .order_by(Activity.day, Employee.name, Activity.id))
    with tenant_scope(tenant):
        return list(db.session.execute(_status(query, status).offset(offset).limit(limit)).all())


def roles_of(tenant, email: str) -> tuple[bool, bool]:
    """``(is an employee, supervises someone)`` for the account ``email`` (case-insensitive) in the
    tenant's records, in one statement: the navigation asks both on every signed-in page."""
    email = (email or "").strip().lower()
    if not email:
        return False, False
    employee = db.select(Employee.id).where(db.func.lower(Employee.email) == email).limit(1).exists()
    boss = db.select(Employee.id).where(_subordinates(email)).limit(1).exists()
    with tenant_scope(tenant):
        row = db.session.execute(db.select(employee.label("mine"), boss.label("boss"))).one()
    return bool(row.mine), bool(row.boss)


def supervises(tenant, email: str) -> bool:
    """Whether ``email`` is anyone's supervisor in the tenant's records."""
    email = (email or "").strip().lower()
    if not email:
        return False
    with tenant_scope(tenant):
        return db.session.execute(db.select(Employee.id).where(_subordinates(email)).limit(1)).first() is not None
