"""Demonstration data (``pamong demo``): a small agency's employees, their attendance and activity
for last month (run and closed) and this month up to yesterday (run, open; the last two working
days' activities await the supervisor, or today's while the month has two ended working days or
fewer, so its figures are real from its second day). The demo's officer (officer@) supervises the others and the demo's
staff account (staf@) supervises the officer, so the admin is free to take an objection's BKPSDM
step (one person acts once on a chain). Added once."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from core.kit import Actor, calendar_of, db, local_date, tenant_scope, utcnow

from .models import Activity, Employee, Excuse, Punch
from .runs import close_month, run_month
from .settings import agency_codes, settings_of

PEOPLE = [  # NIP (birth date, appointment month, sex, serial), name, class, account
    ("198503122010011001", "Andi Baso", "JF-AHLI", "officer@{slug}.test"),
    ("199007242015032002", "Sitti Rahmawati", "JF-TERAMPIL", "staf@{slug}.test"),  # an officer: never the demo citizen
    ("197812052005011003", "Muhammad Arfah", "JPT", ""),
    ("198811172012122004", "Nurul Hidayah", "JF-AHLI", ""),
    ("199202292019031005", "Irfan Syahputra", "PELAKSANA", ""),
    ("198001012006042006", "Hasnah Daeng Ngai", "ADMINISTRATOR", ""),
    ("199512102020121007", "Rizky Pratama", "PELAKSANA", ""),
    ("198606062011011008", "Fitriani Latief", "JF-TERAMPIL", ""),
]


def _month_before(day):
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _punches(rng, tenant, employee_id, days, zone, rule_start=time(7, 30), rule_end=time(16, 0)):
    for day in days:
        roll = rng.random()
        if roll < 0.03:
            continue  # an unexcused absence
        arrive = datetime.combine(day, rule_start, tzinfo=zone) + timedelta(minutes=rng.choice([-20, -10, -5, 0, 5, 20, 45, 100]))
        leave = datetime.combine(day, rule_end, tzinfo=zone) + timedelta(minutes=rng.choice([0, 10, 30, -15]))
        yield Punch(employee_id=employee_id, at=arrive.astimezone(timezone.utc), kind="in", source="demo")
        if roll > 0.06:
            yield Punch(employee_id=employee_id, at=leave.astimezone(timezone.utc), kind="out", source="demo")
        if day.weekday() == 0 and rng.random() < 0.85:
            yield Punch(employee_id=employee_id, at=(arrive + timedelta(minutes=10)).astimezone(timezone.utc),
                        kind="assembly", source="demo")


def seed(tenant) -> int:
    """Add the demonstration employees and months unless there are employees already."""
    agencies = sorted(agency_codes(tenant))
    classes = {row["position_class"] for row in settings_of(tenant)["ceilings"]}
    if not agencies or not {p[2] for p in PEOPLE} <= classes:
        return 0
    agency = "DLH" if "DLH" in agencies else agencies[0]
    actor = Actor.system("demo", tenant)
    rng = random.Random(16)
    zone, cal = ZoneInfo(tenant.timezone), calendar_of(tenant)
    today = local_date(tenant, utcnow())
    this_month = today.replace(day=1)
    last_month = _month_before(today)
    officer, staff = f"officer@{tenant.slug}.test", f"staf@{tenant.slug}.test"
    with tenant_scope(tenant):
        if db.session.execute(db.select(Employee.id).limit(1)).first():
            return 0
        people = [Employee(nip=nip, name=name, agency=agency, position_class=cls, email=email.format(slug=tenant.slug),
                           supervisor_email=staff if email.startswith("officer@") else officer)
                  for nip, name, cls, email in PEOPLE]
        db.session.add_all(people)
        db.session.flush()
        span = (today - last_month).days
        days = [last_month + timedelta(days=i) for i in range(span) if cal.is_working_day(last_month + timedelta(days=i))]
        # awaiting the supervisor's approval: the open month's last two ended working days, when it has
        # more than two (so that its figures stay real on its first days: re-trial of issue 16, the
        # demo's open month showed 0 % on the 2nd with its one ended day's activities pending), else
        # today's, logged in the morning (a working day: it counts from tomorrow)
        ended = [d for d in days if d >= this_month]
        recent = set(ended[-2:]) if len(ended) > 2 else set()
        if not recent and cal.is_working_day(today):
            days_logged = days + [today]
            recent = {today}
        else:
            days_logged = days
        for employee in people:
            db.session.add_all(_punches(rng, tenant, employee.id, days, zone))
            for day in days_logged:
                pending = day in recent
                db.session.add(Activity(employee_id=employee.id, day=day, minutes=rng.choice([240, 270, 300, 330]),
                                        description="Kegiatan harian", approved=not pending,
                                        decided_at=None if pending else utcnow(),
                                        decided_by="" if pending else employee.supervisor_email))
        db.session.add(Excuse(employee_id=people[3].id, kind="duty_travel", first_day=days[2], last_day=days[4],
                              reference="SPT/DLH/2026"))
        db.session.flush()
    run_month(tenant, actor, last_month.year, last_month.month)
    close_month(tenant, actor, last_month.year, last_month.month)
    run_month(tenant, actor, this_month.year, this_month.month)
    db.session.commit()
    return len(people)
