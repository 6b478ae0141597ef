"""Browser tests: a live server and a Chromium page (Playwright driving Debian's Chromium); fixtures
of the ``core.testing`` pytest plugin, which imports them.

The live server is a second app on the session's database with CSRF on (as in production), served
by werkzeug on a free loopback port in a thread; cookies are not ``Secure`` because it is plain http.
Tenants and users are made with the usual fixtures (``create_tenant``, ``create_user``). Tests that
use them are marked ``@pytest.mark.browser``; without Chromium they skip (``PAMONG_REQUIRE_BROWSER=1``
turns that into a failure).
"""
from __future__ import annotations

import os

import pytest

CHROMIUM = os.environ.get("PAMONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def live_app(app, pamong_extra_plugins):
    """The app as deployed: same database, instance and data key (personal data written by either
    app reads back in the other) as the session ``app``, CSRF enabled."""
    from . import create_app

    return create_app(
        {
            "PAMONG_PUBLIC_FIGURES_TTL": 0,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "browser-secret",
            "PAMONG_DATA_KEY": app.config.get("PAMONG_DATA_KEY") or app.config["SECRET_KEY"],
            "WTF_CSRF_ENABLED": True, "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
            "INSTANCE_DIR": app.config["INSTANCE_DIR"], "RATELIMIT_ENABLED": True,
            # browser tests sign in often, several within a minute (production's 10 per client
            # address per minute is tested by tests/test_auth.py)
            "PAMONG_LOGIN_RATE": app.config["PAMONG_LOGIN_RATE"],
        },
        extra_plugins=pamong_extra_plugins,
    )


@pytest.fixture(scope="session")
def live_server(live_app):
    """``live_server.url`` (http://127.0.0.1:<port>) and ``live_server.port``."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.port}"
    yield server
    server.shutdown()
    thread.join(timeout=10)
    from .extensions import db

    with live_app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("PAMONG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"no Chromium at {CHROMIUM} but PAMONG_REQUIRE_BROWSER=1 (run: make chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM} (run: make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, tmp_path):
    """``screenshot(name, of=page) -> Path``: a full-page PNG of ``page`` (or of another page, ``of``)
    under tmp_path (copied to ``$PAMONG_BROWSER_SHOTS`` too when that names a folder, for a person to
    look at)."""
    import shutil
    from pathlib import Path

    def take(name: str, of=None) -> Path:
        path = tmp_path / f"{name}.png"
        (of or page).screenshot(path=str(path), full_page=True)
        keep = os.environ.get("PAMONG_BROWSER_SHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
        return path

    return take
