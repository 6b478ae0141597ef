"""The board's live updates (``views_board.py``): a bounded ``text/event-stream`` of ``board``
events that sends only changes, holds no database connection while it waits, ends by itself, and
the polling page for browsers without JavaScript."""
import pytest

from core.kit import db, tenant_scope

from .. import views_board
from .fixtures import NIK_B, SETTINGS, booked


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def events_url(tenant, code="PKM-A"):
    return f"/t/{tenant.slug}/clinic/board/{code}/events"


def read_stream(response) -> list[dict]:
    """The stream's blocks as dicts: ``{"event", "id", "data", "retry", "comment"}`` (what is there)."""
    text = response.get_data(as_text=True)
    blocks = []
    for raw in text.split("\n\n"):
        if not raw.strip():
            continue
        block = {}
        for line in raw.split("\n"):
            field, _, value = line.partition(": ") if not line.startswith(":") else ("comment", "", line[2:])
            block[field] = block[field] + "\n" + value if field == "data" and field in block else value
        blocks.append(block)
    return blocks


def test_the_stream_sends_the_board_then_only_changes_and_ends(app, client, tenant, monkeypatch):
    with app.app_context():
        booked(tenant)
        booked(tenant, nik=NIK_B)
    app.config["CLINIC_BOARD_STREAM_SECONDS"] = 6  # three reads, two sleeps
    waits, held = [], []

    def fake_sleep(seconds):  # between reads: a desk calls A-001, and no transaction (connection) is open
        held.append(db.session().in_transaction())
        waits.append(seconds)
        if len(waits) == 1:
            from .. import queue

            with tenant_scope(tenant):
                queue.call_next(tenant, None, "PKM-A", "UMUM")
                db.session.commit()

    monkeypatch.setattr(views_board, "sleep", fake_sleep)
    response = client.get(events_url(tenant))
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    blocks = read_stream(response)
    assert blocks[0] == {"retry": "3000"}
    first, second, third = blocks[1:]
    assert first["event"] == "board" and "A-001" in first["data"] and '<span class="idle">' in first["data"]
    assert second["event"] == "board" and '<span class="number">A-001</span>' in second["data"]
    assert second["id"] != first["id"]
    assert third == {"comment": "unchanged"}  # nothing new: a comment, no event
    assert waits == [2.0, 2.0] and held == [False, False]


def test_a_reconnecting_board_gets_no_event_it_already_shows(app, client, tenant):
    with app.app_context():
        booked(tenant)
    app.config["CLINIC_BOARD_STREAM_SECONDS"] = 1  # one read
    first = read_stream(client.get(events_url(tenant)))[1]
    again = read_stream(client.get(events_url(tenant), headers={"Last-Event-ID": first["id"]}))
    assert again == [{"retry": "3000"}, {"comment": "unchanged"}]


def test_streams_off_answer_204_and_the_page_polls(app, client, tenant):
    app.config["CLINIC_BOARD_STREAM_SECONDS"] = 0
    assert client.get(events_url(tenant)).status_code == 204
    page = client.get(f"/t/{tenant.slug}/clinic/board/PKM-A").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="15">' in page and "board.js" not in page


def test_the_page_streams_with_javascript_and_polls_without(app, client, tenant):
    app.config["CLINIC_BOARD_STREAM_SECONDS"] = 55
    page = client.get(f"/t/{tenant.slug}/clinic/board/PKM-A").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in page
    assert f'data-events="/t/{tenant.slug}/clinic/board/PKM-A/events"' in page and "board.js" in page
    script = client.get(f"/t/{tenant.slug}/clinic/board.js")
    assert script.status_code == 200 and "EventSource" in script.get_data(as_text=True)
    assert client.get(events_url(tenant, "NOPE")).status_code == 404
