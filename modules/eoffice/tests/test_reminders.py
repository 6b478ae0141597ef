"""Reminders (the hourly job): a letter waiting on a paraf longer than ``reminder_hours`` reminds
the holders of that step once (not the drafter); an overdue disposition reminds its receiver once;
by e-mail through the outbox, each a line on the timeline."""
from datetime import timedelta

from core.kit import db, local_date, utcnow

from ..delivery import dispose, send
from ..jobs import reminders
from ..queries import timeline
from .conftest import actor_of
from .helpers import signed, submitted


def test_a_waiting_paraf_reminds_its_holders_once(scoped, outbox):
    tenant, people = scoped
    letter_id = submitted(tenant, people)
    assert reminders()[tenant.slug] == {"review": 0, "dispositions": 0}  # not yet past the 24 hours
    later = utcnow() + timedelta(hours=25)
    assert reminders(later)[tenant.slug] == {"review": 1, "dispositions": 0}
    assert reminders(later)[tenant.slug] == {"review": 0, "dispositions": 0}  # once per step
    mails = [m for m in outbox(tenant, "email") if m["subject"].startswith("Menunggu paraf")]
    assert [m["recipient"] for m in mails] == [people.kabid]
    from ..access import get_letter

    letter = get_letter(tenant, letter_id)
    assert [r["action"] for r in timeline(tenant, letter)].count("reminded") == 1
    db.session.rollback()


def test_an_overdue_disposition_reminds_its_receiver_once(scoped, outbox):
    tenant, people = scoped
    letter = signed(tenant, people)
    send(tenant, actor_of(tenant, people.drafter), letter.id)
    db.session.commit()
    staff = actor_of(tenant, people.staff_pu).user.id
    dispose(tenant, actor_of(tenant, people.kadis_pu), letter.id, staff, "Siapkan bahan",
            local_date(tenant) + timedelta(days=1))
    db.session.commit()
    assert reminders()[tenant.slug]["dispositions"] == 0  # not yet due
    after_due = utcnow() + timedelta(days=3)
    assert reminders(after_due)[tenant.slug]["dispositions"] == 1
    assert reminders(after_due)[tenant.slug]["dispositions"] == 0
    mails = [m for m in outbox(tenant, "email") if m["subject"].startswith("Disposisi lewat")]
    assert [m["recipient"] for m in mails] == [people.staff_pu]
    due = local_date(tenant) + timedelta(days=1)  # written as Indonesian writes a date, not ISO (trial t14c)
    from ..delivery import mail_day

    assert f"jatuh tempo {mail_day(due)} " in mails[0]["body"] and due.isoformat() not in mails[0]["body"]
    assert mail_day(due).split()[1] in ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                                        "September", "Oktober", "November", "Desember")
