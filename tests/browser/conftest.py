"""A live server and a Chromium page for the browser tests (Playwright driving Debian's Chromium).

The live server is a second app on the session's database with CSRF on (as in production), served
by werkzeug on a free loopback port in a thread; cookies are not ``Secure`` because it is plain http.
Tenants and users are made with the usual fixtures (``create_tenant``, ``create_user``).
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PAMONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def live_app(app, pamong_extra_plugins):
    """The app as deployed: same database and instance as the session ``app``, CSRF enabled."""
    from core import create_app

    return create_app(
        {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "browser-secret",
            "WTF_CSRF_ENABLED": True, "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
            "INSTANCE_DIR": app.config["INSTANCE_DIR"], "RATELIMIT_ENABLED": True,
        },
        extra_plugins=pamong_extra_plugins,
    )


@pytest.fixture(scope="session")
def live_server(live_app):
    """``live_server.url`` (http://127.0.0.1:<port>) and ``live_server.port``."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.port}"
    yield server
    server.shutdown()
    thread.join(timeout=10)
    from core.extensions import db

    with live_app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
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
    """``screenshot(name) -> Path``: a full-page PNG under tmp_path (copied to
    ``$PAMONG_BROWSER_SHOTS`` too when that names a folder, for a person to look at)."""

    def take(name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        keep = os.environ.get("PAMONG_BROWSER_SHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
        return path

    return take
