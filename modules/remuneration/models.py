"""The tables of the remuneration (TPP) module. Every table is tenant-owned (``TenantOwned``: primary
key ``(tenant_id, id)``, every reference ``(tenant_id, x_id)``; DESIGN §4). Money is integer rupiah,
rates are basis points (1.25 % = 125), instants are UTC, days are the tenant's local dates."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import IdentityNumber, TenantOwned, db, identity_hash, tenant_ref, utcnow


class Employee(TenantOwned, db.Model):
    """A civil servant (ASN) paid TPP: NIP (validated and stored encrypted by the core), agency code,
    position class (whose ceiling the settings give per year), and the position (jabatan) of the
    core's organisation when known (``position_code``): the settings' ``position_classes`` then give
    the class a run uses, the module's own attribute of that core position. ``email`` links the account that
    sees this employee's own months; ``supervisor_email`` the one who resolves objections first.
    ``started_on`` / ``ended_on``: the first and the last day of employment (TMT / tanggal berhenti,
    inclusive, empty when open); a run pays only the working days between them (``runs.py``)."""
    __tablename__ = "remuneration_employees"
    __table_args__ = (UniqueConstraint("tenant_id", "nip_hash", name="uq_remuneration_employees_tenant_nip"),
                      Index("ix_remuneration_employees_tenant_agency", "tenant_id", "agency"))

    nip: Mapped[str] = mapped_column(IdentityNumber("nip"))
    nip_hash: Mapped[str] = identity_hash("nip")
    name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(32))
    position_class: Mapped[str] = mapped_column(String(32))
    position_code: Mapped[str] = mapped_column(String(32), default="")  # the core's position (jabatan), if known
    email: Mapped[str] = mapped_column(String(254), default="")
    supervisor_email: Mapped[str] = mapped_column(String(254), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # employment (TMT, tanggal mulai / tanggal berhenti), local dates, inclusive; empty: not known (open)
    started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EmployeeChange(TenantOwned, db.Model):
    """History: one row per changed field of an employee (name, agency, position class, ...)."""
    __tablename__ = "remuneration_changes"
    __table_args__ = (Index("ix_remuneration_changes_tenant_employee", "tenant_id", "employee_id"),)

    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    field: Mapped[str] = mapped_column(String(32))
    before: Mapped[str] = mapped_column(String(254), default="")
    after: Mapped[str] = mapped_column(String(254), default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(String(40), default="")


class Punch(TenantOwned, db.Model):
    """One attendance record: ``kind`` in / out / assembly at ``at`` (UTC), from ``source``
    (csv, machine, demo)."""
    __tablename__ = "remuneration_punches"
    __table_args__ = (UniqueConstraint("tenant_id", "employee_id", "at", "kind", name="uq_remuneration_punches_once"),
                      Index("ix_remuneration_punches_tenant_at", "tenant_id", "at"))

    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20), default="csv")


class Excuse(TenantOwned, db.Model):
    """An approved leave (cuti) or duty travel (perjalanan dinas) from ``first_day`` to ``last_day``
    (local dates, inclusive): nothing is deducted on those days."""
    __tablename__ = "remuneration_excuses"
    __table_args__ = (Index("ix_remuneration_excuses_tenant_employee", "tenant_id", "employee_id", "first_day"),)

    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(20))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")


class Activity(TenantOwned, db.Model):
    """An activity log entry (minutes or points of work on ``day``); it counts once ``approved``
    by the supervisor. Three states (``status``): pending (``decided_at`` empty: logged by the
    employee in the app, awaiting the supervisor), approved, rejected (``decided_at`` set and not
    ``approved``; ``reason`` says why). ``decided_by`` names who decided (the supervisor's e-mail,
    or ``file:NAME`` for a log imported as approved in the source system, e-Kinerja)."""
    __tablename__ = "remuneration_activities"
    __table_args__ = (Index("ix_remuneration_activities_tenant_employee_day", "tenant_id", "employee_id", "day"),)

    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    day: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    logged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(254), default="")
    reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def status(self) -> str:
        return "pending" if self.decided_at is None else "approved" if self.approved else "rejected"


class Sanction(TenantOwned, db.Model):
    """A disciplinary sanction (``code`` of the rule set's ``sanctions``) cutting TPP from the month
    of ``first_month`` to that of ``last_month`` (firsts of months, inclusive)."""
    __tablename__ = "remuneration_sanctions"
    __table_args__ = (Index("ix_remuneration_sanctions_tenant_employee", "tenant_id", "employee_id"),)

    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    code: Mapped[str] = mapped_column(String(32))
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)


class Run(TenantOwned, db.Model):
    """The monthly run of ``year``-``month``: ``open`` (may be run again) or ``closed`` by finance
    (immutable). ``rules`` is the rule set used (JSON), so a later rule never changes it."""
    __tablename__ = "remuneration_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "year", "month", name="uq_remuneration_runs_tenant_month"),)

    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    rules_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    rules: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # rupiah, the month's total: above 2^31 in a city
    computed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Result(TenantOwned, db.Model):
    """One employee's TPP for one run, with the agency and class as they were that month."""
    __tablename__ = "remuneration_results"
    __table_args__ = (UniqueConstraint("tenant_id", "run_id", "employee_id", name="uq_remuneration_results_once"),
                      Index("ix_remuneration_results_tenant_run_agency", "tenant_id", "run_id", "agency"))

    run_id: Mapped[int] = tenant_ref("remuneration_runs", ondelete="CASCADE")
    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    agency: Mapped[str] = mapped_column(String(32))
    position_class: Mapped[str] = mapped_column(String(32))
    ceiling: Mapped[int] = mapped_column(Integer)
    tpp: Mapped[int] = mapped_column(Integer)
    performance_bp: Mapped[int] = mapped_column(Integer)
    deduction_bp: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list] = mapped_column(JSON, default=list)  # [{"code","detail","count","bp","amount"}]


class Objection(TenantOwned, db.Model):
    """An employee's objection to one month's result, filed within the window (``objection_days``
    working days after the run) and resolved through the core's approval chain (the supervisor in
    the employee's agency, then the personnel agency): ``open`` until the chain ends, then ``granted``
    (upheld: its correction an adjustment, ``grants.py``) or ``rejected``, the decision's note in
    ``decision`` (``resolved``: one approved before an upheld objection carried its correction).
    Another objection to the same month: ``objections.second_refused``."""
    __tablename__ = "remuneration_objections"
    __table_args__ = (Index("ix_remuneration_objections_tenant_status", "tenant_id", "status"),)

    # RESTRICT: an objection never vanishes with its result (migration a4c7e2f91b58)
    result_id: Mapped[int] = tenant_ref("remuneration_results", ondelete="RESTRICT")
    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    decision: Mapped[str] = mapped_column(Text, default="")
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Adjustment(TenantOwned, db.Model):
    """A correction of a closed month (``source_year``-``source_month``), paid in the open month
    ``year``-``month``: ``amount`` signed rupiah, shown as its own breakdown line there."""
    __tablename__ = "remuneration_adjustments"
    __table_args__ = (Index("ix_remuneration_adjustments_tenant_month", "tenant_id", "year", "month"),)

    employee_id: Mapped[int] = tenant_ref("remuneration_employees", ondelete="CASCADE")
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    source_year: Mapped[int] = mapped_column(Integer)
    source_month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
