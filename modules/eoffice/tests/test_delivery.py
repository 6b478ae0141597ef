"""Delivery, reading, disposition and follow-up (issue 14.5); who may read by security
classification (Permendagri 1/2023: biasa, terbatas, rahasia)."""
from datetime import timedelta

import pytest

from core.kit import NotFound, ValidationError, db, local_date, utcnow

from ..access import readable_letter, who
from ..delivery import dispose, follow_up, mark_read, send
from ..queries import counters, inbox
from .conftest import actor_of
from .helpers import signed


def sent(tenant, people, **over):
    letter = signed(tenant, people, **over)
    send(tenant, actor_of(tenant, people.drafter), letter.id)
    db.session.commit()
    return letter


def user_id(tenant, email):
    return actor_of(tenant, email).user.id


def test_sending_reaches_the_inbox_once_and_only_from_the_issuing_unit(scoped, audit_entries):
    tenant, people = scoped
    letter = signed(tenant, people)
    with pytest.raises(ValidationError) as error:
        send(tenant, actor_of(tenant, people.kadis_pu), letter.id)  # not of the issuing unit
    assert error.value.code == "not_sender"
    db.session.rollback()
    send(tenant, actor_of(tenant, people.drafter), letter.id)
    db.session.commit()
    with pytest.raises(ValidationError) as error:
        send(tenant, actor_of(tenant, people.drafter), letter.id)
    assert error.value.code == "already_sent"
    db.session.rollback()
    me = who(tenant, actor_of(tenant, people.kadis_pu))
    assert [(row.id, unread) for row, unread in inbox(tenant, me).rows] == [(letter.id, True)]
    assert counters(tenant, me)["unread"] == 1
    assert mark_read(tenant, actor_of(tenant, people.kadis_pu), letter) == 1
    db.session.commit()
    assert counters(tenant, me)["unread"] == 0 and mark_read(tenant, actor_of(tenant, people.kadis_pu), letter) == 0
    assert [e["action"] for e in audit_entries(tenant, "eoffice.letter.read")] == ["eoffice.letter.read"]


def test_a_disposition_is_due_followed_up_once_and_surfaces_when_overdue(scoped, frozen_clock):
    tenant, people = scoped
    letter = sent(tenant, people)
    head = actor_of(tenant, people.kadis_pu)
    row = dispose(tenant, head, letter.id, user_id(tenant, people.staff_pu), "Siapkan bahan")
    db.session.commit()
    assert row.due_on == local_date(tenant, utcnow()) + timedelta(days=3)  # the tenant's default
    staff = who(tenant, actor_of(tenant, people.staff_pu))
    assert counters(tenant, staff)["open_dispositions"] == 1 and counters(tenant, staff)["overdue_dispositions"] == 0
    frozen_clock.advance(days=5)
    assert counters(tenant, staff)["overdue_dispositions"] == 1
    follow_up(tenant, actor_of(tenant, people.staff_pu), row.id, "Sudah disiapkan")
    db.session.commit()
    assert counters(tenant, staff)["open_dispositions"] == 0
    with pytest.raises(ValidationError):
        follow_up(tenant, actor_of(tenant, people.staff_pu), row.id, "Lagi")
    with pytest.raises(NotFound):  # only the person it is for reports it
        follow_up(tenant, head, row.id, "Bukan saya")


@pytest.mark.parametrize("over, where", [
    ({"instruction": "  "}, "instruction"),
    ({"due_on": "past"}, "due_on"),
    ({"to": "drafter"}, "to"),  # not a colleague of the head of PU
    ({"to": "self"}, "to"),
])
def test_bad_dispositions_are_refused_by_field(scoped, over, where):
    tenant, people = scoped
    letter = sent(tenant, people)
    head = actor_of(tenant, people.kadis_pu)
    to = {"drafter": user_id(tenant, people.drafter), "self": head.user.id}.get(over.get("to"),
                                                                                 user_id(tenant, people.staff_pu))
    due = local_date(tenant, utcnow()) - timedelta(days=1) if over.get("due_on") == "past" else None
    with pytest.raises(ValidationError) as error:
        dispose(tenant, head, letter.id, to, over.get("instruction", "Tindak lanjuti"), due)
    assert error.value.where == where


def test_only_receivers_dispose(scoped):
    tenant, people = scoped
    letter = sent(tenant, people)
    with pytest.raises(ValidationError) as error:  # the drafter's side sent it; it did not receive it
        dispose(tenant, actor_of(tenant, people.drafter), letter.id, user_id(tenant, people.kabid), "x")
    assert error.value.code == "not_receiver"


@pytest.mark.parametrize("security, auditor, outsider_pu, colleague", [
    ("biasa", True, True, True),
    ("terbatas", False, True, True),
    ("rahasia", False, True, False),
])
def test_the_security_classification_limits_who_reads(scoped, create_user, security, auditor, outsider_pu, colleague):
    """outsider_pu: an officer of the addressed unit (PU); colleague: an officer of the issuing unit
    (DLH) who is neither drafter nor on the chain; rahasia is for direct addressees, not colleagues."""
    tenant, people = scoped
    letter = sent(tenant, people, security=security)
    other_dlh = create_user(tenant, "officer", agency="DLH")

    def reads(email):
        try:
            readable_letter(tenant, actor_of(tenant, email), letter.id)
            return True
        except NotFound:
            return False

    assert reads(people.drafter) and reads(people.kadis) and reads(people.kadis_pu)
    assert reads(people.auditor) is auditor
    assert reads(people.outsider) is outsider_pu
    assert reads(other_dlh) is colleague


def test_a_letter_of_another_tenant_is_not_found(scoped, make_tenant):
    tenant, people = scoped
    letter = sent(tenant, people)
    other, others = make_tenant()
    with pytest.raises(NotFound):
        readable_letter(other, actor_of(other, others.drafter), letter.id)


def test_a_disposition_chain_goes_down_and_keeps_its_due_date(scoped, app, audit_entries):
    """Kadis DLH → Kabid → staff (an officer without a position): passed down with the chain kept
    (the parent found without being named), never up to the head nor sideways to a peer, not twice
    to someone holding it open, not due after the disposition it passes down; someone without a
    position passes nothing on; the letter page shows the chain and offers only whom one may
    dispose to."""
    from ..delivery import targets
    from ..queries import disposition_chains, letter_dispositions

    tenant, people = scoped
    letter = sent(tenant, people, to_units=["DLH"])
    head, kabid = actor_of(tenant, people.kadis), actor_of(tenant, people.kabid)
    today = local_date(tenant, utcnow())
    first = dispose(tenant, head, letter.id, user_id(tenant, people.kabid), "Tindak lanjuti",
                    today + timedelta(days=2))
    db.session.commit()
    for to, due, where, code in (
            (people.kadis, None, "to", "not_down"),  # up to the head of DLH
            (people.sekdis, None, "to", "not_down"),  # sideways to a peer
            (people.kabid, None, "to", "not_down"),  # to oneself
            (people.drafter, today + timedelta(days=3), "due_on", "after_parent")):  # after the head's date
        with pytest.raises(ValidationError) as error:
            dispose(tenant, kabid, letter.id, user_id(tenant, to), "Bantu siapkan", due)
        assert (error.value.where, error.value.code) == (where, code)
        db.session.rollback()
    assert [p.email for p in targets(tenant, kabid, letter)] == [people.drafter]
    second = dispose(tenant, kabid, letter.id, user_id(tenant, people.drafter), "Bantu siapkan")
    db.session.commit()
    assert (second.parent_id, second.due_on) == (first.id, first.due_on)  # its parent; due no later than it
    with pytest.raises(ValidationError) as error:  # the staff member holds no position: passes nothing on
        dispose(tenant, actor_of(tenant, people.drafter), letter.id, user_id(tenant, people.kabid), "Kembali")
    assert (error.value.where, error.value.code) == ("to", "no_position")
    db.session.rollback()
    with pytest.raises(ValidationError) as error:  # the head again to the Kabid, who holds it open
        dispose(tenant, head, letter.id, user_id(tenant, people.kabid), "Sekali lagi")
    assert error.value.code == "already_disposed"
    db.session.rollback()
    assert [p.email for p in targets(tenant, kabid, letter)] == []  # the staff member holds it open
    assert [(d.id, depth) for d, depth in disposition_chains(letter_dispositions(tenant, letter))] == \
           [(first.id, 0), (second.id, 1)]
    assert audit_entries(tenant, "eoffice.disposition.create")[-1]["summary"]["after"]["parent"] == first.id


def test_a_letter_is_disposed_to_several_at_once_or_to_none(scoped):
    """The head ticks several colleagues: each gets a disposition of their own, same instruction and
    due date; one that may not be chosen refuses them all (nothing written)."""
    from ..delivery import dispose_to_each
    from ..models import Disposition

    tenant, people = scoped
    letter = sent(tenant, people)
    head = actor_of(tenant, people.kadis_pu)
    staff, outsider = user_id(tenant, people.staff_pu), user_id(tenant, people.outsider)
    for chosen, code in (([staff, user_id(tenant, people.drafter)], "not_down"), ([staff, 10 ** 9], "unknown_colleague"),
                         ([], "unknown_colleague"), ([" "], "unknown_colleague")):
        with pytest.raises(ValidationError) as error:
            dispose_to_each(tenant, head, letter.id, chosen, "Pelajari dan laporkan")
        assert (error.value.where, error.value.code) == ("to", code)
        db.session.rollback()
        assert db.session.execute(db.select(Disposition.id)).all() == []
    rows = dispose_to_each(tenant, head, letter.id, [str(staff), str(outsider), str(staff)], "Pelajari dan laporkan")
    db.session.commit()
    assert sorted(r.to_id for r in rows) == sorted([staff, outsider])
    assert {(r.instruction, r.due_on, r.parent_id) for r in rows} == {("Pelajari dan laporkan", rows[0].due_on, None)}


def test_a_letter_reached_only_through_a_disposition_is_in_the_inbox(scoped):
    """Addressed to the head's position only: the staff member is not a recipient; disposed to
    them, it is in their inbox (found by its number), counted as an open disposition, not unread."""
    tenant, people = scoped
    letter = sent(tenant, people, to_units=[], to_positions=["KADIS-PU"])
    staff = who(tenant, actor_of(tenant, people.staff_pu))
    assert inbox(tenant, staff).rows == []
    dispose(tenant, actor_of(tenant, people.kadis_pu), letter.id, user_id(tenant, people.staff_pu), "Siapkan bahan")
    db.session.commit()
    assert [(row.id, unread) for row, unread in inbox(tenant, staff).rows] == [(letter.id, False)]
    assert [row.id for row, _ in inbox(tenant, staff, q=letter.number).rows] == [letter.id]
    assert inbox(tenant, staff, q="tidak ada").rows == []
    assert counters(tenant, staff)["open_dispositions"] == 1 and counters(tenant, staff)["unread"] == 0
    head = who(tenant, actor_of(tenant, people.kadis_pu))
    assert [(row.id, unread) for row, unread in inbox(tenant, head).rows] == [(letter.id, True)]


def test_the_pages_name_people_by_their_name_not_their_e_mail(scoped):
    """Trial of 2 Dec 2026: the drafter, the timeline and a disposition's sender showed e-mail
    addresses where the person has a name (the receiver showed the name)."""
    from core.kit import User
    from ..delivery import dispose
    from ..models import Disposition, Event
    from .helpers import signed

    tenant, people = scoped
    for email, name in ((people.drafter, "Dewi Lestari"), (people.kadis, "Rina Wijaya")):
        db.session.execute(db.select(User).where(User.email == email)).scalar_one().name = name
    db.session.commit()
    letter = signed(tenant, people, to_units=["PU"])
    send(tenant, actor_of(tenant, people.drafter), letter.id)
    head = actor_of(tenant, people.kadis_pu)
    dispose(tenant, head, letter.id, user_id(tenant, people.staff_pu), "Tindak lanjuti.")
    db.session.commit()
    assert letter.drafter == "Dewi Lestari"
    actors = set(db.session.execute(db.select(Event.actor).where(Event.letter_id == letter.id)).scalars())
    assert {"Dewi Lestari", "Rina Wijaya"} <= actors and people.drafter not in actors
    row = db.session.execute(db.select(Disposition).where(Disposition.letter_id == letter.id)).scalar_one()
    assert row.from_name == (head.user.name or people.kadis_pu)  # no name: the e-mail
