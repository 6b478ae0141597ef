"""What the queue tests share (test_queue: pages, search, filters, cost per page; test_queue_work:
assignee, bulk actions, response templates): filing and moving complaints, reading one back, the
signed-in DLH officer (a fixture, imported by each test file)."""
from __future__ import annotations

import pytest

from core.kit import db, tenant_scope
from modules.complaints import services, workflow

from .conftest import audit_actions


def file(app, tenant, n=1, **kw):
    """File ``n`` complaints (DLH's rubbish by default); their numbers."""
    numbers = []
    with app.app_context(), tenant_scope(tenant):
        for i in range(n):
            values = {"category": "SAMPAH", "description": f"Tumpukan sampah nomor {i} di pasar", **kw}
            complaint, _key = services.file_complaint(tenant, None, services.Filing(**values), "portal")
            numbers.append(complaint.number)
        db.session.commit()
    return numbers


def move(app, tenant, number, *statuses):
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        for status in statuses:
            workflow.transition(tenant, "system", complaint, status, note="ok")
        db.session.commit()


def row(app, tenant, number):
    with app.app_context(), tenant_scope(tenant):
        c = services.get_by_number(tenant, number)
        return c.status, c.assignee_id, c.status_note


def audits(app, tenant, number):
    with app.app_context():
        return audit_actions(tenant, number)


def user_id(app, user_of, email):
    with app.app_context():
        return user_of(email).id


@pytest.fixture
def officer(app, tenant, people, login):
    client = app.test_client()
    login(client, people["dlh"], tenant)
    return client


def in_table(html: str) -> str:
    return html.split('id="queue"', 1)[1] if 'id="queue"' in html else ""
