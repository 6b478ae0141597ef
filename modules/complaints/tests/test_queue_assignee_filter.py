"""The queue's assignee filter refuses an officer it does not offer (issue 20 "Bad input", from the
trial): ``?assignee=<id>`` of nobody, or of an officer of another agency, answered 200 with an empty
list while every other unknown filter value is a 400 page naming it. A colleague of the agency is
found; the coordinator may pick an officer of any agency."""
from __future__ import annotations

import pytest

from core.kit import db, tenant_scope
from modules.complaints import handling, services

from .queue_common import file, in_table, move, officer, user_id  # noqa: F401  (officer: the fixture)


def _assign(app, tenant, number, actor_email, assignee_email, user_of):
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        handling.assign(tenant, user_of(actor_email), complaint, user_of(assignee_email))
        db.session.commit()


def _problem(html: str) -> str:
    return html.split('id="queue-problem"', 1)[1].split("</div>", 1)[0] if 'id="queue-problem"' in html else ""


@pytest.mark.parametrize("who", ["nobody", "outsider"])
def test_an_assignee_the_queue_does_not_offer_is_a_clear_400(app, tenant, people, officer, user_of, who):
    number = file(app, tenant, 1)[0]
    move(app, tenant, number, "verified")
    _assign(app, tenant, number, people["dlh"], people["dlh"], user_of)
    wanted = "987654" if who == "nobody" else str(user_id(app, user_of, people["pu"]))  # PU: not DLH's
    answer = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string={"assignee": wanted},
                         headers={"Accept-Language": "id"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Petugas ini tidak ada dalam daftar." in _problem(html)
    assert 'href="#filter-assignee"' in html or 'aria-invalid="true"' in html.split('id="filter-assignee"', 1)[1][:80]
    english = officer.get(f"/t/{tenant.slug}/complaints/queue", query_string={"assignee": wanted},
                          headers={"Accept-Language": "en"})
    assert english.status_code == 400 and "This officer is not one of the list." in _problem(english.get_data(as_text=True))


def test_a_colleague_of_the_agency_is_found(app, tenant, people, officer, user_of, create_user):
    colleague = create_user(tenant, "officer", agency="DLH")
    mine, theirs = file(app, tenant, 2)
    move(app, tenant, mine, "verified")
    move(app, tenant, theirs, "verified")
    _assign(app, tenant, mine, people["dlh"], people["dlh"], user_of)
    _assign(app, tenant, theirs, people["dlh"], colleague, user_of)
    answer = officer.get(f"/t/{tenant.slug}/complaints/queue",
                         query_string={"assignee": str(user_id(app, user_of, colleague))})
    table = in_table(answer.get_data(as_text=True))
    assert answer.status_code == 200 and theirs in table and mine not in table


def test_the_coordinator_filters_by_an_officer_of_any_agency(app, tenant, people, user_of, login):
    number = file(app, tenant, 1, category="JALAN")[0]  # PU's
    move(app, tenant, number, "verified")
    _assign(app, tenant, number, people["pu"], people["pu"], user_of)
    admin = app.test_client()
    login(admin, people["admin"], tenant)
    answer = admin.get(f"/t/{tenant.slug}/complaints/queue",
                       query_string={"assignee": str(user_id(app, user_of, people["pu"]))})
    assert answer.status_code == 200 and number in in_table(answer.get_data(as_text=True))
