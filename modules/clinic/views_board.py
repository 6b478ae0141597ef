"""A clinic's public queue board: the page (``/clinic/board/<clinic>``) and its live updates by
server-sent events (``/clinic/board/<clinic>/events``).

Without JavaScript the page reloads itself every ``BOARD_REFRESH_SECONDS`` (a ``<meta refresh>``
inside ``<noscript>``). With JavaScript (``board.js``) it opens an ``EventSource`` on the events
URL and replaces the board's polis with each ``board`` event (the same HTML fragment the page
renders); when the stream is refused or keeps failing, the script falls back to reloading.

The stream is bounded and holds no database connection while it waits:

- every ``POLL_SECONDS`` (2 s) the server reads the board in a short transaction and closes the
  session (the connection goes back to the pool) before it sleeps;
- an event is sent only when the board changed (its id is a digest of the fragment, so a browser
  reconnecting with ``Last-Event-ID`` gets nothing it already shows), else a comment line that
  keeps proxies from closing the connection;
- after ``stream_seconds()`` (55 s by default, ``PAMONG_CLINIC_BOARD_STREAM`` or the app config
  ``CLINIC_BOARD_STREAM_SECONDS``) the response ends with ``retry: 3000``: the browser reconnects
  3 s later, so a worker or thread is never held for longer than that;
- with ``0`` the events URL answers ``204 No Content``, which tells EventSource not to reconnect:
  the page then polls (the fallback).

Under gunicorn: with the default *sync* workers an open stream occupies a whole worker for up to
55 s, so give the boards threads (``gunicorn -k gthread --threads 16``: one thread per open board,
no database connection held between reads) or set ``PAMONG_CLINIC_BOARD_STREAM=0`` and let the
boards poll. Behind nginx, ``X-Accel-Buffering: no`` (sent here) keeps the events unbuffered.
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from flask import Response, abort, current_app, g, render_template, request, send_file, stream_with_context

from core.kit import db, local_date, public, tenant_scope, utcnow

from . import figures, order, queue
from .settings import clinic_of
from .views import pages

BOARD_REFRESH_SECONDS = 15
POLL_SECONDS = 2.0
RETRY_MS = 3000
SCRIPT = Path(__file__).resolve().parent / "static" / "board.js"
sleep = time.sleep  # a test replaces it


def stream_seconds() -> float:
    """How long one event stream lasts (seconds; 0 = no streams, the boards poll)."""
    value = current_app.config.get("CLINIC_BOARD_STREAM_SECONDS", os.environ.get("PAMONG_CLINIC_BOARD_STREAM", 55))
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 55.0


def board_rows(tenant, clinic) -> list[dict]:
    """Per poli: the last two numbers called (``called``), the next three *call next* will call
    (``next``, ``queue.call_order``: checked in first, skipped ones not) and how many
    *call next* will still call (``remaining``: ``order.CALLABLE``, as BPJS ``sisaantrean``; a skipped
    patient is called by hand, not counted), on the tenant's local today."""
    day = local_date(tenant, utcnow())
    rows = []
    with tenant_scope(tenant):
        for poli in clinic.polis:
            today = figures.day_visits(clinic.code, poli.code, day)
            now_called = [v for v in today if v.status in order.NOW_CALLED]
            rows.append({"poli": poli, "called": sorted(now_called, key=lambda v: (v.called_at, v.serial))[-2:],
                         "next": queue.next_to_call(clinic.code, poli.code, day, 3),
                         "remaining": sum(1 for v in today if v.status in order.CALLABLE)})
    return rows


def _clinic(clinic_code: str):
    clinic = clinic_of(g.tenant, clinic_code)
    if clinic is None:
        abort(404)
    return clinic


@pages.route("/board.js")
@public
def board_script():
    return send_file(SCRIPT, mimetype="text/javascript", max_age=300)


@pages.route("/board/<clinic_code>")
@public
def board(clinic_code: str):
    clinic = _clinic(clinic_code)
    rows = board_rows(g.tenant, clinic)
    return render_template("clinic/board.html", clinic=clinic, rows=rows, day=local_date(g.tenant, utcnow()),
                           refresh=BOARD_REFRESH_SECONDS, live=stream_seconds() > 0)


def _fragment(tenant, clinic) -> tuple[str, str]:
    """The board's polis as HTML and its digest; the session is closed after the read (no
    connection is held while the stream waits)."""
    try:
        html = render_template("clinic/_board_rows.html", rows=board_rows(tenant, clinic))
    finally:
        db.session.close()
    return html, hashlib.sha256(html.encode()).hexdigest()[:16]


def _event(ident: str, html: str) -> str:
    data = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"event: board\nid: {ident}\n{data}\n"


@pages.route("/board/<clinic_code>/events")
@public
def board_events(clinic_code: str):
    """``text/event-stream`` of ``board`` events (see the module docstring); 404 for an unknown
    clinic, 204 when streams are off."""
    clinic = _clinic(clinic_code)
    seconds = stream_seconds()
    if seconds <= 0:
        return Response(status=204)
    tenant, last = g.tenant, request.headers.get("Last-Event-ID", "")[:64]
    rounds = max(1, int(seconds // POLL_SECONDS))
    db.session.close()

    def stream():
        nonlocal last
        yield f"retry: {RETRY_MS}\n\n"
        for i in range(rounds):
            html, digest = _fragment(tenant, clinic)
            if digest != last:
                last = digest
                yield _event(digest, html)
            else:
                yield ": unchanged\n\n"
            if i + 1 < rounds:
                sleep(POLL_SECONDS)

    return Response(stream_with_context(stream()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
