"""A *rahasia* complaint is not disclosed by reference (issue 10.3).

The probe: an officer marked a public complaint as a duplicate of a rahasia one, and the rahasia
number then appeared on the public tracking page (with a link), in Open311 ``status_notes``,
``extended_attributes.duplicate_of``, ``servicerequestupdates``, the JSON API's ``status_note`` and
the filer's message. Now an officer is refused (the form again, with a message); the coordinator
may merge it after confirming, audited; and every output names the original only to those who may
see it. Each output is checked for the rahasia number, also for rows written the old way (a
duplicate whose original became rahasia later) and for numbers in officers' free text."""
import pytest
from flask_babel import force_locale

from core.kit import User, ValidationError, db, tenant_scope
from modules.complaints import disclosure, duplicates, privacy, services, workflow
from modules.complaints.labels import DOMAIN
from modules.complaints.models import Complaint, ComplaintFollower

from .conftest import outbox
from .test_open311 import o311, xml

MERGED = "merged with a confidential report"


def said(app, msgid: str) -> str:
    """``msgid`` as the tenant's pages and messages say it (Indonesian once the catalogue has it)."""
    with app.test_request_context(), force_locale("id"):
        return DOMAIN.gettext(msgid)


def file(app, tenant, category="SAMPAH", filer=None, confidential=False, description="Sampah menumpuk di depan pasar",
         **kw):
    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, filer, services.Filing(
            category=category, description=description, **kw), "portal", filer=filer)
        complaint.confidential = confidential
        db.session.commit()
        return complaint.number


def sent(app, tenant):
    with app.app_context():
        return outbox(tenant)


def load(app, tenant, number):
    with app.app_context(), tenant_scope(tenant):
        c = services.get_by_number(tenant, number)
        return {"status": c.status, "outcome": c.outcome, "duplicate_of_id": c.duplicate_of_id,
                "status_note": c.status_note}


@pytest.fixture
def pair(app, tenant, people, user_of, create_user):
    """(public complaint, rahasia complaint, the public one's follower): both of DLH; the public one
    filed by a signed-in citizen who is told by SMS."""
    with app.app_context():
        filer = user_of(people["citizen"])
        secret = file(app, tenant, confidential=True, phone="081298765432", notify_by="sms")
        public = file(app, tenant, filer=filer, phone="081234567890", notify_by="sms")
        follower = create_user(tenant, "citizen")
        with tenant_scope(tenant):
            db.session.add(ComplaintFollower(complaint_id=services.get_by_number(tenant, public).id,
                                             user_id=user_of(follower).id))
            db.session.commit()
    return public, secret, follower


def mark(client, tenant, number, original, **extra):
    return client.post(f"/t/{tenant.slug}/complaints/manage/{number}/duplicate", data={"original": original, **extra})


def public_outputs(app, client, tenant, number, token, status="closed") -> dict[str, str]:
    """Every public output that shows ``number``, as text (each checked to contain it)."""
    anonymous = app.test_client()
    api = {"Authorization": f"Bearer {token}"}
    outputs = {
        "tracking page": anonymous.get(f"/t/{tenant.slug}/complaints/track/{number}"),
        "open311 request json": anonymous.get(o311(tenant, f"requests/{number}.json?extensions=true")),
        "open311 request xml": anonymous.get(o311(tenant, f"requests/{number}.xml?extensions=true")),
        "open311 request plain": anonymous.get(o311(tenant, f"requests/{number}.json")),
        "open311 list json": anonymous.get(o311(tenant, f"requests.json?extensions=true&status={status}")),
        "open311 list xml": anonymous.get(o311(tenant, f"requests.xml?extensions=true&status={status}")),
        "servicerequestupdates json": anonymous.get(o311(tenant, "servicerequestupdates.json")),
        "servicerequestupdates xml": anonymous.get(o311(tenant, "servicerequestupdates.xml")),
        "api complaint": anonymous.get(f"/t/{tenant.slug}/api/v1/complaints/{number}", headers=api),
        "api list": anonymous.get(f"/t/{tenant.slug}/api/v1/complaints/?status=all", headers=api),
        "transparency": anonymous.get(f"/t/{tenant.slug}/complaints/transparency"),
    }
    texts = {}
    for name, response in outputs.items():
        assert response.status_code == 200, (name, response.status_code)
        texts[name] = response.get_data(as_text=True)
        if name != "transparency":
            assert number in texts[name], name  # the output does show the public complaint
    return texts


def assert_not_named(texts: dict[str, str], secret: str) -> None:
    for name, text in texts.items():
        assert secret not in text, f"{name} names the rahasia complaint"
        assert f"/track/{secret}" not in text, f"{name} links the rahasia complaint"


def assert_merged_in_public(app, client, tenant, public, secret, token):
    texts = public_outputs(app, client, tenant, public, token)
    assert_not_named(texts, secret)
    (request,) = client.get(o311(tenant, f"requests/{public}.json?extensions=true")).get_json()
    assert request["extended_attributes"]["duplicate_of"] is None
    assert request["extended_attributes"]["status_code"] == "DUPLICATE"
    assert request["status_notes"].endswith(": " + said(app, MERGED))
    root = xml(client.get(o311(tenant, f"requests/{public}.xml?extensions=true")))
    assert root.find("request/extended_attributes/duplicate_of").text is None
    updates = client.get(o311(tenant, "servicerequestupdates.json")).get_json()
    assert [u["description"] for u in updates if u["status"] == "DUPLICATE"] == [said(app, MERGED)]
    body = client.get(f"/t/{tenant.slug}/api/v1/complaints/{public}",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["status_note"] == said(app, MERGED)
    assert [e["note"] for e in body["timeline"] if e["kind"] == "duplicate"] == [said(app, MERGED)]
    assert said(app, "This complaint was merged with a confidential report, which is not published.") in \
        texts["tracking page"]


def test_an_officer_may_not_merge_a_public_complaint_into_a_rahasia_one(app, client, tenant, people, login, pair,
                                                                        audit_entries):
    public, secret, _ = pair
    login(client, people["dlh"], tenant)  # handles both: may see the rahasia one
    before = load(app, tenant, public), len(sent(app, tenant)), len(audit_entries(tenant))
    refused = mark(client, tenant, public, secret)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="original-err"' in html
    assert said(app, "The original complaint is confidential (rahasia): only the complaint coordinator can "
                     "merge a public complaint into it.") in html
    confirmed = mark(client, tenant, public, secret, confirm_confidential="y")  # ticking the box is not enough
    assert confirmed.status_code == 400
    assert (load(app, tenant, public), len(sent(app, tenant)), len(audit_entries(tenant))) == before


def test_an_officer_who_may_not_see_the_rahasia_one_is_answered_as_for_an_unknown_number(
        app, client, tenant, people, login, pair):
    _, secret, _ = pair
    road = file(app, tenant, category="JALAN", attributes={"SIZE": "S"})
    login(client, people["pu"], tenant)  # PU does not handle the DLH rahasia complaint
    unknown = mark(client, tenant, road, "NOPE-2026-999999")
    hidden = mark(client, tenant, road, secret)
    assert unknown.status_code == hidden.status_code == 400
    message = said(app, "There is no complaint with this number.")
    assert message in unknown.get_data(as_text=True) and message in hidden.get_data(as_text=True)
    assert secret not in hidden.get_data(as_text=True).replace(f'value="{secret}"', "")
    assert load(app, tenant, road)["duplicate_of_id"] is None


def test_the_coordinator_confirms_and_no_public_output_nor_message_names_the_rahasia_one(
        app, client, tenant, people, login, pair, token_for_tenant, audit_entries, user_of):
    public, secret, follower = pair
    token = token_for_tenant(tenant, "complaints:read")
    login(client, people["admin"], tenant)  # the coordinator (complaints.coordinate)
    asked = mark(client, tenant, public, secret)
    assert asked.status_code == 400 and 'id="confirm_confidential"' in asked.get_data(as_text=True)
    assert said(app, "The original complaint is confidential (rahasia): tick the box to merge this public "
                     "complaint into it.") in asked.get_data(as_text=True)
    assert load(app, tenant, public)["status"] == "submitted"
    sent_before = len(sent(app, tenant))
    done = mark(client, tenant, public, secret, confirm_confidential="y")
    assert done.status_code == 302, done.get_data(as_text=True)[:1000]
    state = load(app, tenant, public)
    assert (state["status"], state["outcome"], state["status_note"]) == ("closed", "duplicate", "")
    assert state["duplicate_of_id"] is not None

    # the coordinator's decision is in the audit trail, on both complaints
    merged = [e for e in audit_entries(tenant) if e["action"] in ("complaints.duplicate",
                                                                  "complaints.merge_into_confidential")]
    assert [(e["action"], e["object_id"]) for e in merged] == [
        ("complaints.duplicate", public), ("complaints.merge_into_confidential", secret)]
    assert "original_confidential" in str(merged[0]["summary"])

    # who may see the rahasia one still sees its number: the coordinator
    own = client.get(f"/t/{tenant.slug}/complaints/track/{public}").get_data(as_text=True)
    assert f"/complaints/track/{secret}" in own and secret in own

    # the public, Open311, the JSON API: never its number, "merged with a confidential report"
    assert_merged_in_public(app, client, tenant, public, secret, token)

    # the filer (signed in, reads the details) and the follower: not named either
    filer = app.test_client()
    login(filer, people["citizen"], tenant)
    page = filer.get(f"/t/{tenant.slug}/complaints/track/{public}").get_data(as_text=True)
    assert 'id="filer"' in page and secret not in page  # the private view, without the number
    mine = filer.get(f"/t/{tenant.slug}/complaints/mine").get_data(as_text=True)
    assert public in mine and secret not in mine
    told = sent(app, tenant)[sent_before:]
    assert {(channel, to) for channel, to, _ in told} >= {("sms", "+6281234567890"), ("email", follower)}
    assert all(secret not in body for _, _, body in told)
    assert all(said(app, MERGED) in body for _, to, body in told if to in ("+6281234567890", follower))
    with app.app_context(), tenant_scope(tenant):  # the follower was not moved to the rahasia complaint
        assert db.session.execute(db.select(ComplaintFollower.complaint_id).where(
            ComplaintFollower.user_id == user_of(follower).id)).scalars().all() == [
            services.get_by_number(tenant, public).id]


def test_a_duplicate_whose_original_became_rahasia_later_stops_naming_it(app, client, tenant, people, login,
                                                                          token_for_tenant):
    """Rows as the old code wrote them for the probe (the number in ``status_note`` and on the
    timeline): every output checks the original's visibility when it is shown."""
    original = file(app, tenant, phone="081298765432", notify_by="sms")
    public = file(app, tenant, phone="081234567890", notify_by="sms")
    login(client, people["dlh"], tenant)
    assert mark(client, tenant, public, original).status_code == 302
    assert load(app, tenant, public)["status_note"] == original  # public then: named
    token = token_for_tenant(tenant, "complaints:read")
    before = public_outputs(app, client, tenant, public, token)
    assert original in before["tracking page"] and original in before["open311 request json"]
    with app.app_context(), tenant_scope(tenant):
        admin = db.session.execute(db.select(User).where(User.email == people["admin"])).scalar_one()
        privacy.set_privacy(tenant, admin, services.get_by_number(tenant, original), confidential=True)
        db.session.commit()
    assert load(app, tenant, public)["status_note"] == original  # the old row is left as it was
    assert_merged_in_public(app, client, tenant, public, original, token)
    officer = client.get(f"/t/{tenant.slug}/complaints/track/{public}").get_data(as_text=True)
    assert original in officer  # DLH handles the original: still named to them


def test_a_rahasia_number_in_an_officers_note_reaches_only_those_who_may_see_it(
        app, client, tenant, people, login, pair, token_for_tenant):
    public, secret, _ = pair
    login(client, people["dlh"], tenant)
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, public)
        workflow.transition(tenant, "system", complaint, "verified", note=f"Sama dengan {secret.lower()}, ditangani")
        workflow.reroute(tenant, "system", complaint, "PU", f"Lihat juga pengaduan {secret}")
        db.session.commit()
    told = [body for _, to, body in sent(app, tenant) if to == "+6281234567890"]
    assert len(told) >= 2 and all(secret not in body.upper() for body in told)
    assert any(said(app, "a confidential report") in body for body in told)
    filer = app.test_client()
    login(filer, people["citizen"], tenant)
    page = filer.get(f"/t/{tenant.slug}/complaints/track/{public}").get_data(as_text=True)
    assert 'id="filer"' in page and secret not in page.upper()
    token = token_for_tenant(tenant, "complaints:read")
    for name, text in public_outputs(app, client, tenant, public, token, status="open").items():
        assert secret not in text.upper(), name
    coordinator = app.test_client()
    login(coordinator, people["admin"], tenant)
    assert secret in coordinator.get(f"/t/{tenant.slug}/complaints/track/{public}").get_data(as_text=True)


def test_a_rahasia_number_in_a_description_is_shown_only_to_those_who_may_see_it(
        app, client, tenant, people, login, user_of, pair):
    _, secret, _ = pair
    with app.app_context():
        mentioning = file(app, tenant, filer=user_of(people["citizen"]), phone="081234567890",
                          description=f"Masih sama dengan {secret} di Jalan {secret}")
    filer = app.test_client()
    login(filer, people["citizen"], tenant)
    page = filer.get(f"/t/{tenant.slug}/complaints/track/{mentioning}").get_data(as_text=True)
    assert 'id="filer"' in page and secret not in page
    login(client, people["dlh"], tenant)  # handles the rahasia one too: may see it
    assert secret in client.get(f"/t/{tenant.slug}/complaints/track/{mentioning}").get_data(as_text=True)


def test_hide_references_finds_numbers_in_any_spelling_and_keeps_the_others(app, make_tenant):
    tenant = make_tenant(settings=None)
    with app.app_context():
        import uuid

        hyphenated = make_tenant(slug=f"kota-mks-{uuid.uuid4().hex[:6]}")  # no prefix set: the slug's
        secret = file(app, hyphenated, confidential=True)
        public = file(app, hyphenated)
        text = f"lihat-{secret.lower()}, {public} dan ({secret}); bukan {secret}9 atau X{secret}"
        with tenant_scope(hyphenated):
            hidden = disclosure.hide_references(hyphenated, text)
            said_here = str(disclosure.CONFIDENTIAL_REPORT)
        assert hidden == f"lihat-{said_here}, {public} dan ({said_here}); bukan {secret}9 atau X{secret}"
        with tenant_scope(tenant):  # another tenant's complaint of the same number is not looked at
            assert disclosure.hide_references(tenant, text) == text
        with tenant_scope(hyphenated):
            assert disclosure.hide_references(hyphenated, text, shown=lambda c: True) == text


def test_the_service_refuses_the_merge_to_whoever_is_not_the_coordinator(app, tenant, pair):
    public, secret, _ = pair
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, public)
        for actor in ("system", "token:integration"):
            with pytest.raises(ValidationError) as err:
                duplicates.mark_duplicate(tenant, actor, complaint, secret, confirm_confidential=True)
            assert err.value.code == "original_confidential"
        db.session.rollback()
    assert load(app, tenant, public)["status"] == "submitted"
