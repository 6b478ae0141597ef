"""Reminders (issue 14.5, "overdue dispositions surface"): the hourly job (``jobs.py``) tells

- the holders of the step a letter in review waits on (paraf or signature), once per step, when it
  has waited longer than the tenant's ``reminder_hours`` (default 24);
- the person a disposition was handed to, once, when its due date (the tenant's local date) has
  passed without a follow-up;

by e-mail through the core's outbox (``core.kit.notify``), in the job's transaction. Each reminder
is a line on the letter's timeline (``reminded``), which is also what keeps it from being sent
twice. Reads and writes only the tenant's own rows.
"""
from __future__ import annotations

from datetime import timedelta

from core.kit import Actor, approvals, db, holders_of, local_date, notify, tenant_scope, tenant_url, utcnow

from .delivery import mail_day
from .models import OPEN, REVIEW, Disposition, Event, Letter
from .settings import settings_of

ACTION = "reminded"


def _told(letter_id: int, key: str) -> bool:
    return db.session.execute(db.select(Event.id).where(Event.letter_id == letter_id, Event.action == ACTION,
                                                        Event.note == key).limit(1)).first() is not None


def _remind(tenant, actor, letter, key: str, people, subject: str, body: str) -> int:
    sent = 0
    for person in people:
        if person.email:
            notify(tenant, "email", person.email, body, subject=subject[:200], ref=f"eoffice:{letter.id}")
            sent += 1
    db.session.add(Event(letter_id=letter.id, action=ACTION, actor=str(actor)[:254], note=key))
    return sent


def run(tenant, now=None) -> dict[str, int]:
    """Send the reminders that are due for ``tenant``; returns ``{"review": n, "dispositions": n}``
    (messages queued). The caller commits."""
    now = now or utcnow()
    actor = Actor.system("eoffice-reminders", tenant)
    wait = timedelta(hours=settings_of(tenant).get("reminder_hours", 24))
    today = local_date(tenant, now)
    counts = {"review": 0, "dispositions": 0}
    with tenant_scope(tenant):
        waiting = db.session.execute(db.select(Letter).where(Letter.status == REVIEW, Letter.updated_at <= now - wait)
                                     .order_by(Letter.id).limit(500)).scalars().all()
        for letter in waiting:
            chain = approvals.get_chain(tenant, "eoffice", "letter", letter.chain_id)
            step = approvals.awaiting(tenant, chain) if chain else None
            if step is None:
                continue
            key = f"{letter.chain_id}:{step['index']}"
            if _told(letter.id, key):
                continue
            last = step["index"] == len(letter.steps) - 1
            people = [u for u in holders_of(tenant, step["step"].get("position", ""), today)
                      if last or u.id != letter.drafter_id]  # the drafter gives no paraf on their own letter
            what = "tanda tangan" if last else "paraf"
            counts["review"] += _remind(
                tenant, actor, letter, key, people, f"Menunggu {what} Anda: {letter.subject}",
                f"Naskah dinas \"{letter.subject}\" menunggu {what} Anda ({step['label']}).\n"
                f"{tenant_url(tenant, f'/eoffice/letters/{letter.id}')}")
        overdue = db.session.execute(db.select(Disposition, Letter).join(Letter, Letter.id == Disposition.letter_id)
                                     .where(Disposition.status == OPEN, Disposition.due_on < today)
                                     .order_by(Disposition.id).limit(500)).all()
        for disposition, letter in overdue:
            key = f"d{disposition.id}"
            if _told(letter.id, key):
                continue
            from core.kit import User

            person = db.session.get(User, disposition.to_id)
            counts["dispositions"] += _remind(
                tenant, actor, letter, key, [person] if person and person.active else [],
                f"Disposisi lewat batas waktu: {letter.subject}",
                f"Disposisi \"{disposition.instruction[:200]}\" atas naskah \"{letter.subject}\" "
                f"jatuh tempo {mail_day(disposition.due_on)} dan belum ditindaklanjuti.\n"
                f"{tenant_url(tenant, f'/eoffice/letters/{letter.id}')}")
        db.session.flush()
    return counts
