"""Approval chains (issue 12.4): approve, return with a note, and every refusal (out of turn, twice,
not the holder, an acting holder outside the period, a role not held) changing nothing; audited and
shown as the object's timeline. Both databases."""
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import approvals
from core.audit import AuditEntry
from core.auth.service import find_user
from core.errors import NotFound, ValidationError
from core.extensions import db
from core.tenancy import positions as jabatan
from core.tenancy.scope import tenant_scope
from core.testing import unique

DAY = date(2026, 11, 15)
AGENCIES = [
    {"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
        {"code": "KADIS", "name": "Kepala Dinas", "head": True},
        {"code": "SEK", "name": "Sekretaris"},
        {"code": "KASUBAG", "name": "Kepala Subbagian Umum"},
    ]},
    {"code": "PU", "name": "Dinas Pekerjaan Umum"},
]


@pytest.fixture
def org(app, create_tenant, create_user):
    """A tenant with three positions held by three officers; ``org.user(name)`` loads one."""
    tenant = create_tenant(agencies=AGENCIES)
    emails = {name: create_user(tenant, "officer", agency="DLH") for name in ("kadis", "sek", "kasubag", "plt", "staff")}
    emails["pu"] = create_user(tenant, "officer", agency="PU")
    emails["auditor"] = create_user(tenant, "auditor")
    with app.app_context():
        for name, code in (("kadis", "KADIS"), ("sek", "SEK"), ("kasubag", "KASUBAG")):
            jabatan.assign_holder(tenant, jabatan.find_position(tenant, code), emails[name], "test",
                                  start=date(2020, 1, 1))  # held long before DAY
        jabatan.assign_holder(tenant, jabatan.find_position(tenant, "KADIS"), emails["plt"], "test", acting=True,
                              start=date(2026, 11, 1), until=date(2026, 11, 30))
        db.session.commit()

    class Org:
        def __init__(self):
            self.tenant = tenant

        def user(self, name):
            return find_user(emails[name])

    return Org()


@pytest.fixture
def scoped(app_ctx, org):
    """``org``, with the test inside its tenant's scope (as a request is: its rows readable after a commit)."""
    with tenant_scope(org.tenant):
        yield org


def _state(tenant, oid):
    chain = approvals.get_chain(tenant, "eoffice", "letter", oid)
    with tenant_scope(tenant):
        audited = db.session.execute(db.select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.object_id == oid)).scalar()
    return (chain.current, chain.status, list(chain.approvers), len(approvals.history(tenant, "eoffice", "letter", oid)),
            audited)


def _refused(tenant, oid, error, call, code=None):
    """``call`` raises ``error`` (with ``code``) and the chain, its timeline and the audit are as before."""
    before = _state(tenant, oid)
    with pytest.raises(error) as info:
        call()
    db.session.rollback()
    assert _state(tenant, oid) == before
    if code:
        assert info.value.code == code
    return info.value


def _start(org, steps, oid=None):
    oid = oid or unique("L")
    approvals.start_chain(org.tenant, "eoffice", "letter", oid, steps, org.user("staff"))
    db.session.commit()
    return oid


def _approve(org, oid, who, step, day=DAY, note=""):
    chain = approvals.approve(org.tenant, "eoffice", "letter", oid, org.user(who), step=step, day=day, note=note)
    db.session.commit()
    return chain


def test_happy_path_is_audited_and_on_the_timeline(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"position": "SEK"}, {"position": "KADIS", "label": "Tanda tangan"}])
    assert approvals.awaiting(org.tenant, approvals.get_chain(org.tenant, "eoffice", "letter", oid))["label"] == "Sekretaris"
    _approve(org, oid, "sek", 0, note="paraf")
    chain = _approve(org, oid, "kadis", 1)
    assert chain.status == approvals.APPROVED and chain.current == 2
    assert approvals.awaiting(org.tenant, chain) is None
    timeline = approvals.history(org.tenant, "eoffice", "letter", oid)
    assert [(t["action"], t["step"], t["step_label"], t["actor"]) for t in timeline] == [
        ("start", None, "", org.user("staff").email),
        ("approve", 0, "Sekretaris", org.user("sek").email),
        ("approve", 1, "Tanda tangan", org.user("kadis").email),
    ]
    assert timeline[1]["note"] == "paraf"
    with tenant_scope(org.tenant):
        entries = db.session.execute(db.select(AuditEntry).where(AuditEntry.object_id == oid)
                                     .order_by(AuditEntry.id)).scalars().all()
    assert [e.action for e in entries] == ["approval.start", "approval.approve", "approval.approve"]
    assert entries[0].object_type == "eoffice.letter" and entries[1].summary["step"] == 0
    assert _refused(org.tenant, oid, approvals.ChainClosed, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("kadis"), step=1, day=DAY)).code == "approval_closed"


def test_return_to_an_earlier_step_with_a_note(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"position": "KASUBAG"}, {"position": "SEK"}, {"position": "KADIS"}])
    _approve(org, oid, "kasubag", 0)
    _approve(org, oid, "sek", 1)
    back = lambda **kw: approvals.return_to(org.tenant, "eoffice", "letter", oid, org.user("kadis"), day=DAY,
                                            **{"step": 2, "to_step": 0, "note": "Perbaiki nomor surat", **kw})
    _refused(org.tenant, oid, ValidationError, lambda: back(note="  "), "approval_bad_return")
    _refused(org.tenant, oid, ValidationError, lambda: back(to_step=2), "approval_bad_return")
    _refused(org.tenant, oid, ValidationError, lambda: back(to_step=-1), "approval_bad_return")
    _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.return_to(
        org.tenant, "eoffice", "letter", oid, org.user("staff"), step=2, to_step=0, note="x", day=DAY))
    chain = back()
    db.session.commit()
    assert chain.current == 0 and chain.approvers == [None, None, None] and chain.status == approvals.PENDING
    entry = approvals.history(org.tenant, "eoffice", "letter", oid)[-1]
    assert (entry["action"], entry["step"], entry["to_step"], entry["to_label"], entry["note"]) == (
        "return", 2, 0, "Kepala Subbagian Umum", "Perbaiki nomor surat")
    # the returned steps act again, the same people included (their earlier approval was undone)
    _approve(org, oid, "kasubag", 0)
    _approve(org, oid, "sek", 1)
    assert _approve(org, oid, "kadis", 2).status == approvals.APPROVED
    _refused(org.tenant, oid, approvals.ChainClosed, lambda: approvals.return_to(
        org.tenant, "eoffice", "letter", oid, org.user("kadis"), step=2, to_step=0, note="x", day=DAY))


def test_the_first_step_cannot_be_returned(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"position": "SEK"}, {"position": "KADIS"}])
    _refused(org.tenant, oid, ValidationError, lambda: approvals.return_to(
        org.tenant, "eoffice", "letter", oid, org.user("sek"), step=0, to_step=0, note="x", day=DAY),
        "approval_bad_return")


def test_out_of_turn_is_refused(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"position": "SEK"}, {"position": "KADIS"}])
    err = _refused(org.tenant, oid, approvals.OutOfTurn, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("kadis"), step=1, day=DAY), "approval_out_of_turn")
    assert "step 0 (Sekretaris)" in err.message
    _refused(org.tenant, oid, approvals.OutOfTurn, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("kadis"), step=5, day=DAY), "approval_out_of_turn")
    _approve(org, oid, "sek", 0)
    # step 0 is done: someone else acting on it now is out of turn
    _refused(org.tenant, oid, approvals.OutOfTurn, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("kadis"), step=0, day=DAY), "approval_out_of_turn")


def test_acting_twice_is_refused(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"role": "officer", "unit": "DLH"}, {"position": "SEK"}])
    _approve(org, oid, "sek", 0)  # an officer of DLH, who also holds SEK
    _refused(org.tenant, oid, approvals.AlreadyActed, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("sek"), step=0, day=DAY), "approval_twice")
    _refused(org.tenant, oid, approvals.AlreadyActed, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("sek"), step=1, day=DAY), "approval_twice")


def test_someone_not_holding_the_position_is_refused(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"position": "SEK"}])
    for who in ("staff", "kadis", "auditor"):
        err = _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
            org.tenant, "eoffice", "letter", oid, org.user(who), step=0, day=DAY), "approval_not_holder")
    assert "Sekretaris" in err.message
    _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, "cli:root", step=0, day=DAY))


@pytest.mark.parametrize("day, allowed", [
    (date(2026, 10, 31), False), (date(2026, 11, 1), True), (date(2026, 11, 30), True), (date(2026, 12, 1), False),
])
def test_an_acting_holder_counts_within_the_period(app_ctx, scoped, day, allowed):
    org = scoped
    oid = _start(org, [{"position": "KADIS"}])
    if allowed:
        assert _approve(org, oid, "plt", 0, day=day).status == approvals.APPROVED
    else:
        _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
            org.tenant, "eoffice", "letter", oid, org.user("plt"), step=0, day=day), "approval_not_holder")
        assert _approve(org, oid, "kadis", 0, day=day).status == approvals.APPROVED  # the definitive holder


def test_a_removed_holder_no_longer_counts(app_ctx, scoped):
    org = scoped
    from core.tenancy.models import PositionHolder

    oid = _start(org, [{"position": "SEK"}])
    with tenant_scope(org.tenant):
        row = db.session.execute(db.select(PositionHolder).where(PositionHolder.user_id == org.user("sek").id)).scalar_one()
    jabatan.remove_holder(org.tenant, row, "test", last_day=DAY - timedelta(days=1))  # ended before DAY
    db.session.commit()
    _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("sek"), step=0, day=DAY))


def test_role_steps(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"role": "officer", "unit": "PU"}, {"role": "auditor"}])
    assert approvals.history(org.tenant, "eoffice", "letter", oid)[0]["action"] == "start"
    _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("staff"), step=0, day=DAY))  # an officer, of DLH
    _approve(org, oid, "pu", 0)
    _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("kadis"), step=1, day=DAY))
    assert _approve(org, oid, "auditor", 1).status == approvals.APPROVED
    labels = [t["step_label"] for t in approvals.history(org.tenant, "eoffice", "letter", oid)[1:]]
    assert labels == ["officer PU", "auditor"]


def test_user_steps(app_ctx, scoped):
    """A step may name one member of the tenant by e-mail (a TPP objection's supervisor)."""
    org = scoped
    sek = org.user("sek").email
    oid = _start(org, [{"user": f"  {sek.upper()} "}, {"role": "auditor"}])
    for other in ("kadis", "pu"):  # the position's holder or an officer elsewhere: not that person
        _refused(org.tenant, oid, approvals.NotHolder, lambda who=other: approvals.approve(
            org.tenant, "eoffice", "letter", oid, org.user(who), step=0, day=DAY))
    _approve(org, oid, "sek", 0)
    assert [t["step_label"] for t in approvals.history(org.tenant, "eoffice", "letter", oid)[1:2]] == [sek.lower()]


@pytest.mark.parametrize("steps, where, code", [
    ([], "steps", "approval_bad_steps"),
    ([{"user": "nobody@example.test"}], "steps[0].user", "unknown_user"),
    ([{"user": "x@example.test", "role": "officer"}], "steps[0]", "approval_bad_steps"),
    ([{"position": "NOPE"}], "steps[0].position", "unknown_position"),
    ([{"position": "SEK"}, {"role": "king"}], "steps[1].role", "approval_bad_steps"),
    ([{"role": "officer", "unit": "NOPE"}], "steps[0].unit", "unknown_agency"),
    ([{"position": "SEK", "role": "officer"}], "steps[0]", "approval_bad_steps"),
    ([{"position": "SEK", "unit": "DLH"}], "steps[0].unit", "approval_bad_steps"),
    ([{"position": "SEK", "colour": "red"}], "steps[0].colour", "approval_bad_steps"),
])
def test_bad_steps_are_refused_at_start(app_ctx, scoped, steps, where, code):
    org = scoped
    oid = unique("L")
    with pytest.raises(ValidationError) as info:
        approvals.start_chain(org.tenant, "eoffice", "letter", oid, steps, "test")
    db.session.rollback()
    assert (info.value.where, info.value.code) == (where, code)
    assert approvals.get_chain(org.tenant, "eoffice", "letter", oid) is None


def test_one_chain_per_object_and_unknown_objects(app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"position": "SEK"}])
    with pytest.raises(ValidationError) as info:
        approvals.start_chain(org.tenant, "eoffice", "letter", oid, [{"position": "KADIS"}], "test")
    db.session.rollback()
    assert info.value.code == "approval_exists"
    with pytest.raises(NotFound) as info:
        approvals.approve(org.tenant, "eoffice", "letter", "no-such", org.user("sek"), step=0, day=DAY)
    db.session.rollback()
    assert info.value.code == "approval_not_found"
    assert approvals.history(org.tenant, "eoffice", "letter", "no-such") == []


def test_another_tenant_cannot_see_or_act_on_the_chain(app_ctx, scoped, create_tenant):
    org = scoped
    oid = _start(org, [{"position": "SEK"}])
    other = create_tenant(agencies=AGENCIES)
    assert approvals.get_chain(other, "eoffice", "letter", oid) is None
    with pytest.raises(NotFound):
        approvals.approve(other, "eoffice", "letter", oid, org.user("sek"), step=0, day=DAY)
    db.session.rollback()


# -- Random sequences against a simple model of the chain -------------------------------------------

PEOPLE = ("kasubag", "sek", "kadis", "staff")
STEPS = [{"position": "KASUBAG"}, {"position": "SEK"}, {"position": "KADIS"}]
HOLDS = {"kasubag": 0, "sek": 1, "kadis": 2}

ACTIONS = st.lists(st.tuples(st.sampled_from(["approve", "return"]), st.sampled_from(PEOPLE),
                             st.integers(-1, 3), st.integers(-1, 3)), max_size=12)


def _model(state, op, who, step, to_step):
    """What the chain must do: ``(error name or None, new state)``; state = (current, approvers)."""
    current, approvers = state
    if current == len(STEPS):
        return "ChainClosed", state
    if not 0 <= step < len(STEPS):
        return "OutOfTurn", state
    if who in approvers:
        return "AlreadyActed", state
    if step != current:
        return "OutOfTurn", state
    if HOLDS.get(who) != step:
        return "NotHolder", state
    if op == "approve":
        return None, (current + 1, approvers[:step] + [who] + approvers[step + 1:])
    if not 0 <= to_step < step:
        return "ValidationError", state
    return None, (to_step, approvers[:to_step] + [None] * (len(STEPS) - to_step))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_random_sequences_follow_the_model(app_ctx, scoped, actions):
    org = scoped
    oid = _start(org, STEPS)
    state = (0, [None] * len(STEPS))
    names = {u: org.user(u).id for u in PEOPLE}
    for op, who, step, to_step in actions:
        expected, new_state = _model(state, op, who, step, to_step)
        try:
            if op == "approve":
                approvals.approve(org.tenant, "eoffice", "letter", oid, org.user(who), step=step, day=DAY)
            else:
                approvals.return_to(org.tenant, "eoffice", "letter", oid, org.user(who), step=step, to_step=to_step,
                                    note="balik", day=DAY)
            db.session.commit()
            got = None
        except (approvals.ApprovalError, ValidationError) as exc:
            db.session.rollback()
            got = type(exc).__name__
        assert got == expected, (op, who, step, to_step, state)
        state = new_state
        chain = approvals.get_chain(org.tenant, "eoffice", "letter", oid)
        assert chain.current == state[0]
        assert chain.approvers == [names[a] if a else None for a in state[1]]
        assert chain.status == (approvals.APPROVED if state[0] == len(STEPS) else approvals.PENDING)


def test_concurrent_approvals_of_one_step_let_exactly_one_through(app, org, create_user):
    """Six holders of the step approve it at once: the write lock lets one in; the others see the
    chain it left (closed), so the step is approved once and audited once."""
    import threading

    emails = [create_user(org.tenant, "officer", agency="DLH") for _ in range(6)]
    with app.app_context():
        with tenant_scope(org.tenant):
            oid = _start(org, [{"role": "officer", "unit": "DLH"}])
    results, barrier = [], threading.Barrier(len(emails))

    def act(email):
        with app.app_context():
            user = find_user(email)
            barrier.wait()
            try:
                approvals.approve(org.tenant, "eoffice", "letter", oid, user, step=0, day=DAY)
                db.session.commit()
                results.append("ok")
            except approvals.ApprovalError as exc:
                db.session.rollback()
                results.append(exc.code)
            except Exception as exc:  # noqa: BLE001
                db.session.rollback()
                results.append(repr(exc))

    threads = [threading.Thread(target=act, args=(e,)) for e in emails]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["approval_closed"] * 5 + ["ok"], results
    with app.app_context(), tenant_scope(org.tenant):
        actions = [t["action"] for t in approvals.history(org.tenant, "eoffice", "letter", oid)]
        audited = db.session.execute(db.select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.object_id == oid, AuditEntry.action == "approval.approve")).scalar()
    assert actions == ["start", "approve"] and audited == 1
