"""The filer's journey and the messages they get (issue 20 items 3 and 5): a *rahasia* filer who is
not signed in reaches their complaint from the success page; following without an account by a
confirmed phone or e-mail (single-use code, signed unfollow link); the filer's rating once closed,
counted on the transparency page; the steps a tenant chooses to tell, each in words and in the
filer's language; the SMS number shown only where the tenant has one."""
import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from core.kit import NotFound, db, tenant_scope, utcnow
from modules.complaints import follow as following, ratings, services, workflow
from modules.complaints.models import ComplaintRating

from .conftest import SETTINGS, audit_actions, outbox

PHONE = "081234567890"
CODE = r"(?<![-\d])(\d{6})(?!\d)"  # the six digits sent, not the tail of the tracking number
FORM = {"category": "SAMPAH", "description": "Sampah menumpuk di depan pasar", "phone": PHONE, "notify_by": "",
        "file_anyway": "1"}


def base(tenant):
    return f"/t/{tenant.slug}/complaints"


def file(app, tenant, **kw):
    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di pasar", phone=PHONE, **kw), "portal")
        db.session.commit()
        return complaint.number, key


def move(app, tenant, number, *statuses, note="Sudah ditangani"):
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        for status in statuses:
            workflow.transition(tenant, "system", complaint, status, note=note)
        db.session.commit()


def text(response):
    return response.get_data(as_text=True)


# -- the rahasia filer reaches their complaint ------------------------------------------------------

def test_a_rahasia_filer_reaches_their_complaint_from_the_success_page(app, client, tenant, monkeypatch):
    filed = client.post(f"{base(tenant)}/new", data={**FORM, "confidential": "y"})
    assert filed.status_code == 302
    number = filed.headers["Location"].rsplit("/", 1)[1]
    success = client.get(filed.headers["Location"])
    link = re.search(r'href="([^"]*/track/[^"]+)"', text(success)).group(1)
    page = client.get(link)
    assert page.status_code == 200 and 'id="privacy-note"' in text(page)
    assert "Sampah menumpuk di depan pasar" in text(page)  # the private details: it is theirs
    assert app.test_client().get(f"{base(tenant)}/track/{number}").status_code == 404  # anyone else
    # the memory lasts FILED_HOURS only (a shared computer)
    import time as clock

    later = clock.time() + 13 * 3600
    monkeypatch.setattr("modules.complaints.views.time.time", lambda: later)
    assert client.get(f"{base(tenant)}/track/{number}").status_code == 404


# -- following without an account -------------------------------------------------------------------

def _codes(app, tenant, to):
    with app.app_context():
        return [re.search(CODE, body).group(1) for channel, rcpt, body in outbox(tenant, "complaints:follow")
                if rcpt == to]


def test_following_without_an_account_by_a_confirmed_phone(app, client, tenant, people, login):
    number, _ = file(app, tenant)
    other, _ = file(app, tenant)
    track = text(client.get(f"{base(tenant)}/track/{number}"))
    assert 'id="follow-contact-form"' in track and 'id="follow-form"' not in track
    bad = client.post(f"{base(tenant)}/track/{number}/follow/contact", data={"followc-contact": "bukan nomor"})
    assert bad.status_code == 400 and "0812 3456 7890" in text(bad)
    asked = client.post(f"{base(tenant)}/track/{number}/follow/contact", data={"followc-contact": "0812-9999-0001"})
    assert asked.status_code == 302 and asked.headers["Location"].endswith(f"/track/{number}/follow/confirm")
    (code,) = _codes(app, tenant, "+6281299990001")
    assert "…0001" in text(client.get(asked.headers["Location"]))
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(f"{base(tenant)}/track/{number}/follow/confirm", data={"code": wrong})
    assert refused.status_code == 400 and "error" in text(refused)
    elsewhere = client.post(f"{base(tenant)}/track/{other}/follow/confirm", data={"code": code})
    assert elsewhere.status_code == 400  # a code for another complaint
    done = client.post(f"{base(tenant)}/track/{number}/follow/confirm", data={"code": code})
    assert done.status_code == 302
    again = client.post(f"{base(tenant)}/track/{number}/follow/confirm", data={"code": code})
    assert again.status_code == 302 and again.headers["Location"].endswith("#follow-contact")  # nothing pending
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        (row,) = following.contact_followers_of(tenant, complaint)
        assert row.contact == "+6281299990001" and row.code_hash == ""
        assert "complaints.follow_contact" in audit_actions(tenant, number)
    # every message it receives carries a one-click link to stop, which works without signing in
    move(app, tenant, number, "verified")
    with app.app_context():
        (body,) = [b for _c, to, b in outbox(tenant, f"complaints:{number}") if to == "+6281299990001"]
    assert "Dinas Lingkungan Hidup" in body  # what changed, in words
    link = re.search(r"https?://\S+/complaints/unfollow/(\S+)", body).group(1)
    stranger = app.test_client()
    shown = stranger.get(f"{base(tenant)}/unfollow/{link}")
    assert shown.status_code == 200 and 'id="unfollow-form"' in text(shown)
    stopped = stranger.post(f"{base(tenant)}/unfollow/{link}")
    assert stopped.status_code == 200 and number in text(stopped)
    assert stranger.post(f"{base(tenant)}/unfollow/{link}").status_code == 200  # twice: nothing more to do
    assert stranger.get(f"{base(tenant)}/unfollow/{link[:-2]}xx").status_code == 400  # not signed by us
    move(app, tenant, number, "assigned", "in_progress", "resolved")
    with app.app_context(), tenant_scope(tenant):
        assert following.contact_followers_of(tenant, services.get_by_number(tenant, number)) == []
        assert len([1 for _c, to, _b in outbox(tenant, f"complaints:{number}") if to == "+6281299990001"]) == 1
        assert "complaints.unfollow_contact" in audit_actions(tenant, number)
    # signed-in following keeps working
    follower = app.test_client()
    login(follower, people["citizen"], tenant)
    assert 'id="follow-form"' in text(follower.get(f"{base(tenant)}/track/{number}"))
    assert follower.post(f"{base(tenant)}/track/{number}/follow").status_code == 302


def test_a_code_expires_and_wrong_tries_are_limited_and_rahasia_cannot_be_followed(app, tenant):
    number, _ = file(app, tenant)
    secret, _ = file(app, tenant, confidential=True)
    now = utcnow()
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        row = following.request_follow(tenant, complaint, "warga@example.test", "en", now=now)
        db.session.commit()
        (code,) = [re.search(CODE, b).group(1) for _c, to, b in outbox(tenant, "complaints:follow")]
        late = now + timedelta(minutes=following.CODE_MINUTES + 1)
        for bad, when, why in [(code, late, "code_expired")] + [("999999" if code != "999999" else "888888", now,
                                                                  "invalid_code")] * following.MAX_TRIES + [
                (code, now, "code_expired")]:
            try:
                following.confirm_follow(tenant, complaint, row.id, bad, now=when)
            except services.ValidationError as exc:
                assert exc.code == why
            else:
                raise AssertionError("accepted")
        db.session.commit()
        assert following.contact_followers_of(tenant, complaint) == []
        # a new request gives a new code and clears the count
        following.request_follow(tenant, complaint, "warga@example.test", "en", now=now)
        (_, code2) = [re.search(CODE, b).group(1) for _c, to, b in outbox(tenant, "complaints:follow")]
        assert following.confirm_follow(tenant, complaint, row.id, code2, now=now).confirmed_at is not None
        try:  # the same code a second time
            following.confirm_follow(tenant, complaint, row.id, code2, now=now)
        except services.ValidationError as exc:
            assert exc.code == "code_used"
        else:
            raise AssertionError("a code was used twice")
        assert outbox(tenant, "complaints:follow")[-1][2].startswith("Your code")  # their language
        try:
            following.request_follow(tenant, services.get_by_number(tenant, secret), PHONE, now=now)
        except NotFound:
            pass
        else:
            raise AssertionError("a rahasia complaint was followed")
        db.session.rollback()


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(alphabet="0123456789 -x", min_size=0, max_size=10))
def test_only_the_code_sent_confirms(app_ctx, tenant, typed):
    """Whatever is typed, only the six digits sent (spaces aside) confirm the follower."""
    with tenant_scope(tenant):
        number = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di pasar", notify_by="none"), "portal")[0].number
        complaint = services.get_by_number(tenant, number)
        row = following.request_follow(tenant, complaint, PHONE)
        sent = re.search(CODE, outbox(tenant, "complaints:follow")[-1][2]).group(1)
        try:
            following.confirm_follow(tenant, complaint, row.id, typed)
            accepted = True
        except services.ValidationError as exc:
            assert exc.code == "invalid_code"
            accepted = False
        assert accepted == ("".join(typed.split()) == sent)
        db.session.rollback()


# -- the rating -------------------------------------------------------------------------------------

def test_the_filer_rates_once_after_closing_and_it_is_counted(app, client, make_tenant):
    tenant = make_tenant(locales=["id", "en"])
    client.set_cookie("pamong_locale", "en")
    filed = client.post(f"{base(tenant)}/new", data={**FORM, "confidential": "y"})
    number = filed.headers["Location"].rsplit("/", 1)[1]
    url = f"{base(tenant)}/track/{number}/rate"
    early = client.post(url, data={"rate-score": "5"})
    assert early.status_code == 400 and "closed" in text(client.post(url, data={"rate-score": "5"},
                                                                      headers={"Accept-Language": "en"}))
    move(app, tenant, number, "verified", "assigned", "in_progress", "resolved", "closed")
    page = text(client.get(f"{base(tenant)}/track/{number}"))
    assert 'id="rating-form"' in page
    for bad in ("0", "6", "x", "4.5", ""):
        refused = client.post(url, data={"rate-score": bad})
        assert refused.status_code == 400, bad
        assert "from 1" in text(refused) or "required" in text(refused).lower(), bad
    stranger = app.test_client().post(url, data={"rate-score": "1"})
    assert stranger.status_code == 404  # rahasia: not even admitted to exist
    assert client.post(url, data={"rate-score": "4", "rate-comment": "Cepat, terima kasih"}).status_code == 302
    twice = client.post(url, data={"rate-score": "1"})
    assert twice.status_code == 400 and "once" in text(twice)
    with app.app_context(), tenant_scope(tenant):
        (row,) = db.session.execute(db.select(ComplaintRating)).scalars().all()
        assert (row.score, row.comment) == (4, "Cepat, terima kasih")
        assert audit_actions(tenant, number)[-1] == "complaints.rate"
        summary = ratings.summary(tenant)
    assert (summary.count, summary.average, summary.by_score[4]) == (1, 4.0, 1)
    with app.app_context():  # the counters (summary.py) are what the page reads; a rebuild keeps them
        from modules.complaints import summary as counters

        counters.rebuild(tenant)
        db.session.commit()
        assert ratings.summary(tenant).by_score[4] == 1
    shown = text(client.get(f"{base(tenant)}/transparency"))  # this filer's page is in English
    assert 'id="rating-count">1<' in shown and 'id="rating-average">4.0<' in shown
    shown = text(app.test_client().get(f"{base(tenant)}/transparency", headers={"Accept-Language": "id"}))
    assert 'id="rating-average">4,0<' in shown  # Indonesian writes the decimal comma


def test_someone_else_cannot_rate_a_public_complaint_without_the_access_code(app, client, tenant):
    number, key = file(app, tenant)
    move(app, tenant, number, "rejected", note="Bukan pengaduan")
    url = f"{base(tenant)}/track/{number}/rate"
    assert client.post(url, data={"rate-score": "2"}).status_code == 400
    assert client.post(url, data={"rate-score": "2", "rate-access_key": key}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert ratings.summary(tenant).count == 1


# -- which steps, in words, in the filer's language -------------------------------------------------

def test_default_steps_and_words_in_the_filers_language(app, client, make_tenant):
    tenant = make_tenant(locales=["id", "en"])
    client.set_cookie("pamong_locale", "en")  # the visitor's language choice
    filed = client.post(f"{base(tenant)}/new", data=FORM)
    number = filed.headers["Location"].rsplit("/", 1)[1]
    move(app, tenant, number, "verified", "assigned", "in_progress")
    move(app, tenant, number, "resolved", note="Sampah sudah diangkut")
    move(app, tenant, number, "closed")
    with app.app_context():
        bodies = [b for _c, _to, b in outbox(tenant, f"complaints:{number}")]
    assert len(bodies) == 4  # received, verified, resolved, closed: not assigned nor in progress
    assert bodies[0].startswith("Your complaint has been received")
    assert "checked and accepted" in bodies[1] and "Dinas Lingkungan Hidup" in bodies[1]
    assert "has been fixed" in bodies[2] and "Sampah sudah diangkut" in bodies[2]
    assert "closed: the problem was fixed" in bodies[3]
    assert not any("is now" in b for b in bodies)


def test_the_tenant_chooses_the_steps(app, make_tenant):
    tenant = make_tenant(settings={**SETTINGS, "notify_steps": ["assigned"]})
    number, _ = file(app, tenant)
    move(app, tenant, number, "verified", "assigned", "in_progress", "resolved")
    with app.app_context():
        (body,) = [b for _c, _to, b in outbox(tenant, f"complaints:{number}")]
    assert "Dinas Lingkungan Hidup" in body and number in body  # "an officer of DLH has taken it on"


def test_sms_filing_is_offered_only_with_the_tenants_number(app, client, make_tenant):
    without = make_tenant()
    assert 'id="sms-filing"' not in text(client.get(f"{base(without)}/"))
    with_number = make_tenant(settings={**SETTINGS, "sms_number": "+62 811 4000 123"})
    page = text(client.get(f"{base(with_number)}/"))
    assert 'id="sms-filing"' in page and "+62 811 4000 123" in page
