"""Issue 20 (Bad input): a complaint merged into another as a duplicate takes its followers without
an account (``complaint_contact_followers``) over to the original, as it does its signed-in ones:
one row per contact (a contact following both is not doubled), the merge's audit entry counts them,
and each is told in words, on their channel and in their language, with their link to stop; the
original's next message reaches them. Into a *rahasia* original nobody moves."""
from datetime import timedelta

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from core.kit import db, keyed_hash, tenant_scope, utcnow
from modules.complaints import duplicates, follow as following, services, workflow
from modules.complaints.models import ComplaintContactFollower

from .conftest import outbox

SMS_EN, SMS_ID, MAIL_BOTH, MAIL_PENDING, SMS_WAITING = (
    "+6281211110001", "+6281211110002", "both@example.test", "pending@example.test", "+6281211110005")


def file(tenant, **kw):
    with tenant_scope(tenant):
        complaint, _ = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di pasar", notify_by="none", **kw), "portal")
        db.session.commit()
        return complaint.number, complaint.id


def add_follower(tenant, complaint_id, channel, contact, locale="id", confirmed=True):
    with tenant_scope(tenant):
        row = ComplaintContactFollower(
            complaint_id=complaint_id, channel=channel, contact=contact, contact_hash=keyed_hash(contact),
            locale=locale, confirmed_at=utcnow() if confirmed else None,
            code_hash="" if confirmed else "0" * 64,
            code_expires_at=None if confirmed else utcnow() + timedelta(minutes=30))
        db.session.add(row)
        db.session.commit()
        return row.id


def rows(tenant):
    """{(complaint id, contact): confirmed?} of every follower without an account."""
    db.session.expire_all()
    with tenant_scope(tenant):
        return {(r.complaint_id, r.contact): r.confirmed_at is not None
                for r in db.session.execute(db.select(ComplaintContactFollower)).scalars()}


def merge_audit(tenant, number):
    from core.audit.models import AuditEntry

    with tenant_scope(tenant):
        return db.session.execute(db.select(AuditEntry).where(
            AuditEntry.action == "complaints.duplicate", AuditEntry.object_id == number)).scalar_one().summary


def test_contact_followers_move_to_the_original_once_each_and_are_told(app_ctx, tenant):
    original, orig_id = file(tenant)
    repeat, repeat_id = file(tenant)
    add_follower(tenant, repeat_id, "sms", SMS_EN, locale="en")
    add_follower(tenant, repeat_id, "sms", SMS_ID, locale="id")
    add_follower(tenant, repeat_id, "email", MAIL_BOTH, locale="en")
    kept_id = add_follower(tenant, orig_id, "email", MAIL_BOTH, locale="en")  # follows both already
    add_follower(tenant, repeat_id, "email", MAIL_PENDING, locale="en")
    pending_id = add_follower(tenant, orig_id, "email", MAIL_PENDING, locale="en", confirmed=False)
    add_follower(tenant, repeat_id, "sms", SMS_WAITING, confirmed=False)  # has not typed its code yet
    before = len(outbox(tenant))

    with tenant_scope(tenant):
        duplicates.mark_duplicate(tenant, "system", services.get_by_number(tenant, repeat), original)
        db.session.commit()

    assert rows(tenant) == {
        (orig_id, SMS_EN): True, (orig_id, SMS_ID): True, (orig_id, MAIL_BOTH): True,
        (orig_id, MAIL_PENDING): True,  # its pending request for the original is now a follow
        (repeat_id, SMS_WAITING): False,  # a pending code is bound to the duplicate: it stays there
    }
    with tenant_scope(tenant):
        assert db.session.get(ComplaintContactFollower, kept_id).complaint_id == orig_id  # the row they had
        assert db.session.get(ComplaintContactFollower, pending_id).code_hash == ""  # its code is spent
    summary = merge_audit(tenant, repeat)
    assert summary["after"]["contact_followers_moved"] == 4 and summary["after"]["duplicate_of"] == original
    assert SMS_EN not in str(summary) and MAIL_BOTH not in str(summary)  # counted, never named

    told = outbox(tenant)[before:]
    to_contacts = [(channel, to, body) for channel, to, body in told if to in (SMS_EN, SMS_ID, MAIL_BOTH, MAIL_PENDING)]
    assert sorted(to for _c, to, _b in to_contacts) == sorted([SMS_EN, SMS_ID, MAIL_BOTH, MAIL_PENDING])  # once each
    by_to = {to: (channel, body) for channel, to, body in to_contacts}
    assert by_to[SMS_EN][0] == "sms" and by_to[MAIL_BOTH][0] == "email"
    english, indonesian = by_to[SMS_EN][1], by_to[SMS_ID][1]
    assert f"you now follow complaint {original} instead" in english and repeat in english
    assert "Stop following: " in english and "/complaints/unfollow/" in english
    assert original in indonesian and "you now follow" not in indonesian and "/complaints/unfollow/" in indonesian
    assert SMS_WAITING not in [to for _c, to, _b in told]

    # the link in the message stops following the original
    link = english.rsplit("/complaints/unfollow/", 1)[1].split()[0]
    with tenant_scope(tenant):
        assert following.unfollow_by_token(tenant, link) == original
        db.session.commit()
    assert (orig_id, SMS_EN) not in rows(tenant)

    # the original's next message reaches those who moved
    before = len(outbox(tenant))
    with tenant_scope(tenant):
        workflow.transition(tenant, "system", services.get_by_number(tenant, original), "verified")
        db.session.commit()
    reached = [to for _c, to, _b in outbox(tenant)[before:]]
    assert sorted(t for t in reached if t in (SMS_EN, SMS_ID, MAIL_BOTH, MAIL_PENDING)) == sorted(
        [SMS_ID, MAIL_BOTH, MAIL_PENDING])


def test_into_a_rahasia_original_contact_followers_stay_and_are_told_without_its_number(app_ctx, tenant,
                                                                                        people, user_of):
    original, orig_id = file(tenant, confidential=True)
    repeat, repeat_id = file(tenant)
    add_follower(tenant, repeat_id, "sms", SMS_EN, locale="en")
    before = len(outbox(tenant))
    coordinator = user_of(people["admin"])
    with tenant_scope(tenant):
        duplicates.mark_duplicate(tenant, coordinator, services.get_by_number(tenant, repeat), original,
                                  confirm_confidential=True)
        db.session.commit()
    assert rows(tenant) == {(repeat_id, SMS_EN): True}
    assert merge_audit(tenant, repeat)["after"]["contact_followers_moved"] == 0
    (body,) = [b for _c, to, b in outbox(tenant)[before:] if to == SMS_EN]
    assert "merged with a confidential report" in body and original not in body and repeat in body
    assert "/complaints/unfollow/" in body


def test_a_merge_without_contact_followers_tells_no_contact(app_ctx, tenant):
    original, _ = file(tenant)
    repeat, _ = file(tenant)
    before = len(outbox(tenant))
    with tenant_scope(tenant):
        duplicates.mark_duplicate(tenant, "system", services.get_by_number(tenant, repeat), original)
        db.session.commit()
    assert outbox(tenant)[before:] == [] and rows(tenant) == {}
    assert merge_audit(tenant, repeat)["after"]["contact_followers_moved"] == 0


def test_a_code_asked_before_the_merge_and_typed_after_it_follows_the_original(app, client, tenant):
    import re

    with app.app_context():
        original, orig_id = file(tenant)
        repeat, repeat_id = file(tenant)
    base = f"/t/{tenant.slug}/complaints"
    client.set_cookie("pamong_locale", "en")
    asked = client.post(f"{base}/track/{repeat}/follow/contact", data={"followc-contact": SMS_WAITING})
    assert asked.status_code == 302
    with app.app_context():
        (code,) = [re.search(r"(?<![-\d])(\d{6})(?!\d)", b).group(1) for _c, to, b in outbox(tenant, "complaints:follow")
                   if to == SMS_WAITING]
        with tenant_scope(tenant):
            duplicates.mark_duplicate(tenant, "system", services.get_by_number(tenant, repeat), original)
            db.session.commit()
        assert rows(tenant) == {(repeat_id, SMS_WAITING): False}  # still pending: it stays
    done = client.post(f"{base}/track/{repeat}/follow/confirm", data={"code": code})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/track/{original}")
    assert f"You follow complaint {original}" in client.get(done.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert rows(tenant) == {(orig_id, SMS_WAITING): True}
        from core.audit.models import AuditEntry

        with tenant_scope(tenant):
            (entry,) = db.session.execute(db.select(AuditEntry).where(
                AuditEntry.action == "complaints.follow_contact")).scalars()
            assert entry.object_id == repeat and entry.summary["after"]["moved_to"] == original


def test_signed_in_followers_are_told_in_their_own_language_too(app_ctx, tenant, create_user, user_of):
    from modules.complaints.models import ComplaintFollower

    english, indonesian = create_user(tenant, "citizen"), create_user(tenant, "citizen")
    original, _ = file(tenant)
    repeat, repeat_id = file(tenant)
    with tenant_scope(tenant):
        for email, lang in ((english, "en"), (indonesian, "id")):
            user = user_of(email)
            user.locale = lang
            db.session.add(ComplaintFollower(complaint_id=repeat_id, user_id=user.id))
        db.session.commit()
    before = len(outbox(tenant))
    with tenant_scope(tenant):
        duplicates.mark_duplicate(tenant, "system", services.get_by_number(tenant, repeat), original)
        db.session.commit()
    told = {to: body for _c, to, body in outbox(tenant)[before:]}
    assert f"you now follow complaint {original} instead" in told[english]
    assert f"kini Anda mengikuti pengaduan {original}" in told[indonesian]
    assert "/complaints/unfollow/" not in told[english]  # an account stops following on the page


# the state of one contact before the merge: on the duplicate and on the original, each
# None (not following), "pending" (code not typed yet) or "confirmed"
STATES = st.sampled_from([None, "pending", "confirmed"])


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contacts=st.lists(st.tuples(STATES, STATES), min_size=1, max_size=5))
def test_after_any_merge_each_contact_follows_the_original_at_most_once(app_ctx, tenant, contacts):
    original, orig_id = file(tenant)
    repeat, repeat_id = file(tenant)
    who = [f"+62812{orig_id:04d}{i:03d}" for i in range(len(contacts))]
    for address, (on_repeat, on_original) in zip(who, contacts):
        if on_repeat:
            add_follower(tenant, repeat_id, "sms", address, confirmed=on_repeat == "confirmed")
        if on_original:
            add_follower(tenant, orig_id, "sms", address, confirmed=on_original == "confirmed")
    with tenant_scope(tenant):
        duplicates.mark_duplicate(tenant, "system", services.get_by_number(tenant, repeat), original)
        db.session.commit()
    after = rows(tenant)
    with tenant_scope(tenant):
        counts = dict(db.session.execute(
            db.select(ComplaintContactFollower.contact_hash, db.func.count()).where(
                ComplaintContactFollower.complaint_id.in_([orig_id, repeat_id]))
            .group_by(ComplaintContactFollower.contact_hash, ComplaintContactFollower.complaint_id)).all())
    assert all(n == 1 for n in counts.values())
    for address, (on_repeat, on_original) in zip(who, contacts):
        expected_original = ("confirmed" if "confirmed" in (on_repeat, on_original)
                             else on_original)  # a confirmed follow moves; a pending one stays put
        assert {None: None, "pending": False, "confirmed": True}[expected_original] == after.get((orig_id, address))
        expected_repeat = False if on_repeat == "pending" else None
        assert after.get((repeat_id, address)) == expected_repeat
    moved = sum(1 for on_repeat, _o in contacts if on_repeat == "confirmed")
    assert merge_audit(tenant, repeat)["after"]["contact_followers_moved"] == moved


def test_a_phone_only_follower_hears_by_sms_never_by_mail_to_a_number(app_ctx, tenant):
    """A citizen who registered with a mobile number only follows a complaint: the next step reaches
    them by SMS (core.kit.contact_of), not as an e-mail addressed to the number."""
    from core.auth.service import create_phone_user
    from modules.complaints import notifications
    from modules.complaints.models import Complaint

    user = create_phone_user("+6281277770001", "Rina")
    db.session.commit()
    number, complaint_id = file(tenant)
    with tenant_scope(tenant):
        complaint = db.session.get(Complaint, complaint_id)
        following.follow(tenant, user, complaint)
        db.session.commit()
        complaint.status = "resolved"
        notifications.status_changed(tenant, complaint, tell_filer=False, step="resolved")
        db.session.commit()
    sent = [(channel, to) for channel, to, _ in outbox(tenant, f"complaints:{number}")]
    assert ("sms", "+6281277770001") in sent
    assert not [to for channel, to in sent if channel == "email" and to.startswith("+")]
