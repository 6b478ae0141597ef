"""Working the officer's queue (issue 20.2): a named assignee (myself, a colleague of the agency,
never an outsider); bulk assignment and status changes, all or nothing, each complaint audited;
response templates; a photo of the fix."""
from __future__ import annotations

import pytest

from core.kit import db, tenant_scope
from modules.complaints import queue, services
from modules.complaints.models import ComplaintPhoto

from .conftest import SETTINGS, image_bytes
from .queue_common import audits, file, in_table, move, officer, row, user_id  # noqa: F401  (officer: a fixture)


# -- assignee ----------------------------------------------------------------------------------------

def test_an_officer_takes_a_complaint_and_the_status_names_them(app, tenant, people, officer, user_of, login,
                                                                 create_user):
    number = file(app, tenant, 1)[0]
    move(app, tenant, number, "verified")
    base = f"/t/{tenant.slug}/complaints"
    page = officer.get(f"{base}/track/{number}").get_data(as_text=True)
    assert 'id="assign-form"' in page and 'id="assign-me"' in page
    answer = officer.post(f"{base}/manage/{number}/assign", data={"assign-assignee": "me"})
    assert answer.status_code == 302
    assert row(app, tenant, number)[:2] == ("assigned", user_id(app, user_of, people["dlh"]))
    with app.app_context():
        name = user_of(people["dlh"]).name or people["dlh"]
    track = officer.get(f"{base}/track/{number}").get_data(as_text=True)
    assert 'id="assignee"' in track and name in track.split('id="assignee"', 1)[1][:200]
    listed = in_table(officer.get(f"{base}/queue").get_data(as_text=True))
    assert 'class="assignee"' in listed and name in listed
    assert number in in_table(officer.get(f"{base}/queue?assignee=me").get_data(as_text=True))
    # to a colleague of the agency
    colleague = create_user(tenant, "officer", agency="DLH")
    colleague_id = user_id(app, user_of, colleague)
    assert officer.post(f"{base}/manage/{number}/assign", data={"assign-assignee": str(colleague_id)}).status_code == 302
    assert row(app, tenant, number)[1] == colleague_id
    assert audits(app, tenant, number)[-2:] == ["complaints.assigned", "complaints.assign"]


def test_nobody_outside_the_agency_is_given_its_complaint(app, tenant, people, officer, user_of, login):
    number = file(app, tenant, 1)[0]
    move(app, tenant, number, "verified")
    base = f"/t/{tenant.slug}/complaints"
    outsider = user_id(app, user_of, people["pu"])
    refused = officer.post(f"{base}/manage/{number}/assign", data={"assign-assignee": str(outsider)})
    assert refused.status_code == 400 and row(app, tenant, number)[:2] == ("verified", None)
    with app.app_context(), tenant_scope(tenant):  # the service refuses too, whatever the form offered
        from modules.complaints import handling
        with pytest.raises(Exception) as caught:
            handling.assign(tenant, user_of(people["dlh"]), services.get_by_number(tenant, number), user_of(people["pu"]))
        assert getattr(caught.value, "code", "") == "invalid_assignee"
        db.session.rollback()
    pu = app.test_client()
    login(pu, people["pu"], tenant)
    assert pu.post(f"{base}/manage/{number}/assign", data={"assign-assignee": "me"}).status_code in (400, 403)
    assert row(app, tenant, number)[:2] == ("verified", None)


# -- bulk ------------------------------------------------------------------------------------------

def test_bulk_assign_and_status_each_audited(app, tenant, people, officer, user_of):
    numbers = file(app, tenant, 3)
    for n in numbers:
        move(app, tenant, n, "verified")
    base = f"/t/{tenant.slug}/complaints"
    me = user_id(app, user_of, people["dlh"])
    answer = officer.post(f"{base}/queue/bulk", data={"numbers": numbers[:2], "bulk-action": "assign:me",
                                                      "bulk-query": "status=open"})
    assert answer.status_code == 303 and "status=open" in answer.headers["Location"]
    assert [row(app, tenant, n)[:2] for n in numbers] == [("assigned", me), ("assigned", me), ("verified", None)]
    answer = officer.post(f"{base}/queue/bulk", data={"numbers": numbers[:2], "bulk-action": "status:in_progress"})
    assert answer.status_code == 303
    assert [row(app, tenant, n)[0] for n in numbers[:2]] == ["in_progress", "in_progress"]
    for n in numbers[:2]:
        assert audits(app, tenant, n)[-2:] == ["complaints.assigned", "complaints.in_progress"]
    # a step one of them cannot take refuses the whole batch: nothing changed
    refused = officer.post(f"{base}/queue/bulk", data={"numbers": numbers, "bulk-action": "status:in_progress"})
    assert refused.status_code == 400 and 'id="queue-problem"' in refused.get_data(as_text=True)
    assert [row(app, tenant, n)[0] for n in numbers] == ["in_progress", "in_progress", "verified"]
    # resolving needs a note; with it, each one resolved
    refused = officer.post(f"{base}/queue/bulk", data={"numbers": numbers[:2], "bulk-action": "status:resolved"})
    assert refused.status_code == 400 and row(app, tenant, numbers[0])[0] == "in_progress"
    done = officer.post(f"{base}/queue/bulk", data={"numbers": numbers[:2], "bulk-action": "status:resolved",
                                                    "bulk-note": "Sudah diangkut"})
    assert done.status_code == 303 and row(app, tenant, numbers[1])[::2] == ("resolved", "Sudah diangkut")


def test_a_batch_with_a_complaint_the_officer_may_not_touch_is_refused_whole(app, tenant, people, officer):
    ours = file(app, tenant, 2)
    theirs = file(app, tenant, 1, category="JALAN", attributes={"SIZE": "L"})[0]
    for n in ours + [theirs]:
        move(app, tenant, n, "verified")
    base = f"/t/{tenant.slug}/complaints"
    for action in ("assign:me", "status:rejected"):
        refused = officer.post(f"{base}/queue/bulk", data={"numbers": ours + [theirs], "bulk-action": action,
                                                           "bulk-note": "x"})
        assert refused.status_code == 403
        assert theirs in refused.get_data(as_text=True).split('id="queue-problem"', 1)[1][:300]
        assert [row(app, tenant, n)[:2] for n in ours + [theirs]] == [("verified", None)] * 3
    for numbers, status in ((["NOPE-2026-000001"], 404), ([], 400)):
        answer = officer.post(f"{base}/queue/bulk", data={"numbers": numbers, "bulk-action": "assign:me"})
        assert answer.status_code == status
    assert officer.post(f"{base}/queue/bulk", data={"numbers": ours, "bulk-action": "drop:table"}).status_code == 400


def test_a_batch_naming_a_rahasia_complaint_the_officer_may_not_see_is_answered_as_an_unknown_number(
        app, tenant, people, login):
    """The refusal must not tell a rahasia complaint from a number that does not exist (README:
    Privacy): same status, same message, nothing changed; one the officer may see keeps its own."""
    ours = file(app, tenant, 1, category="JALAN", attributes={"SIZE": "L"})[0]   # PU's
    secret = file(app, tenant, 1, confidential=True)[0]                            # DLH's, rahasia
    public = file(app, tenant, 1)[0]                                               # DLH's, public
    for n in (ours, secret, public):
        move(app, tenant, n, "verified")
    base = f"/t/{tenant.slug}/complaints"
    pu = app.test_client()
    login(pu, people["pu"], tenant)
    assert pu.get(f"{base}/track/{secret}").status_code == 404

    def problem(answer):
        return answer.get_data(as_text=True).split('id="queue-problem"', 1)[1][:300]

    unknown = "MKS-2026-999999"
    for action in ("assign:me", "status:rejected"):
        data = {"bulk-action": action, "bulk-note": "x"}
        hidden = pu.post(f"{base}/queue/bulk", data={**data, "numbers": [ours, secret]})
        missing = pu.post(f"{base}/queue/bulk", data={**data, "numbers": [ours, unknown]})
        assert hidden.status_code == missing.status_code == 404
        assert problem(hidden) == problem(missing) and secret not in problem(hidden)
        # with a visible complaint of another agency before it: still the unknown number's answer
        hidden = pu.post(f"{base}/queue/bulk", data={**data, "numbers": [public, secret]})
        missing = pu.post(f"{base}/queue/bulk", data={**data, "numbers": [public, unknown]})
        assert hidden.status_code == missing.status_code == 404 and problem(hidden) == problem(missing)
        # one they may see but not touch keeps "you do not handle"
        seen = pu.post(f"{base}/queue/bulk", data={**data, "numbers": [ours, public]})
        assert seen.status_code == 403 and public in problem(seen)
        assert [row(app, tenant, n)[:2] for n in (ours, secret, public)] == [("verified", None)] * 3


def test_a_step_on_one_rahasia_complaint_the_officer_may_not_see_is_404_like_an_unknown_number(
        app, tenant, people, login):
    secret = file(app, tenant, 1, confidential=True)[0]   # DLH's, rahasia
    public = file(app, tenant, 1)[0]                      # DLH's, public
    for n in (secret, public):
        move(app, tenant, n, "verified")
    base = f"/t/{tenant.slug}/complaints"
    pu = app.test_client()
    login(pu, people["pu"], tenant)
    for step, data in (("assign", {"assign-assignee": "me"}), ("status", {"status": "rejected", "note": "x"})):
        assert pu.post(f"{base}/manage/{secret}/{step}", data=data).status_code == 404
        assert pu.post(f"{base}/manage/MKS-2026-999999/{step}", data=data).status_code == 404
        assert pu.post(f"{base}/manage/{public}/{step}", data=data).status_code in (400, 403)
    assert [row(app, tenant, n)[:2] for n in (secret, public)] == [("verified", None)] * 2


# -- templates and the photo of the fix --------------------------------------------------------------

def test_a_response_template_fills_the_note_and_the_fix_gets_a_photo(app, make_tenant, create_user, login, user_of):
    from io import BytesIO

    tenant = make_tenant({**SETTINGS, "response_templates": [
        {"category": "SAMPAH", "title": "Diangkut", "text": "Sampah sudah diangkut oleh petugas kebersihan."}]})
    officer_email = create_user(tenant, "officer", agency="DLH")
    client = app.test_client()
    login(client, officer_email, tenant)
    number = file(app, tenant, 1)[0]
    move(app, tenant, number, "verified", "assigned", "in_progress")
    base = f"/t/{tenant.slug}/complaints"
    page = client.get(f"{base}/track/{number}").get_data(as_text=True)
    assert 'id="template-select"' in page and "Diangkut" in page and 'id="fix-photos"' in page
    too_big = client.post(f"{base}/manage/{number}/status", content_type="multipart/form-data", data={
        "status": "resolved", "template": "0", "photos": (BytesIO(b"x" * 400_000), "fix.jpg")})
    assert too_big.status_code == 400 and row(app, tenant, number)[0] == "in_progress"  # nothing half-written
    done = client.post(f"{base}/manage/{number}/status", content_type="multipart/form-data", data={
        "status": "resolved", "template": "0", "photos": (BytesIO(image_bytes()), "fix.jpg")})
    assert done.status_code == 302
    assert row(app, tenant, number)[::2] == ("resolved", "Sampah sudah diangkut oleh petugas kebersihan.")
    with app.app_context(), tenant_scope(tenant):
        photos = db.session.execute(db.select(ComplaintPhoto)).scalars().all()
        assert len(photos) == 1 and not photos[0].added_by_filer
    assert "complaints.fix_photos" in audits(app, tenant, number)


def test_response_templates_must_name_a_category(app, tenant):
    from core.kit import ValidationError
    from modules.complaints.settings import check_settings

    with app.app_context(), pytest.raises(ValidationError) as caught:
        check_settings(tenant, {**SETTINGS, "response_templates": [{"category": "BANJIR", "title": "a", "text": "b"}]})
    assert "BANJIR" in str(caught.value) and "response_templates" in caught.value.where
