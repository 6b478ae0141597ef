"""The demo's convenience (PAMONG_DEMO=1: the URL's login switches to the restricted role with SET
ROLE) on a login that may not switch, e.g. a database initialised the production way: one line
naming PAMONG_DATABASE_URL and what to run, not a traceback at every connection."""
import re

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import create_app
from core.errors import PamongError
from core.rls import check_login


@pytest.fixture
def stranger(app):
    """A LOGIN role that is not a member of a NOLOGIN app role (both dropped afterwards)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("SET ROLE is PostgreSQL's")
    suffix = re.sub(r"[^a-z0-9_]", "_", (make_url(url).database or "db").lower())
    login, role = f"pamong_t_stranger_{suffix}"[:63], f"pamong_t_approle_{suffix}"[:63]
    engine = create_engine(url)

    def drop(conn):
        for name in (login, role):
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))

    with engine.begin() as conn:
        drop(conn)
        conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
    yield make_url(url).set(username=login).render_as_string(hide_password=False), role
    with engine.begin() as conn:
        drop(conn)
    engine.dispose()


def test_a_demo_login_that_may_not_switch_roles_is_one_clear_error(stranger, monkeypatch, tmp_path,
                                                                  pamong_extra_plugins):
    url, role = stranger
    monkeypatch.setenv("PAMONG_DB_APP_ROLE", role)
    demo = create_app({"DATABASE_URL": url, "PAMONG_DEMO": True, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path)},
                      extra_plugins=pamong_extra_plugins)
    assert demo.config["PAMONG_DB_APP_ROLE"] == role
    try:
        with pytest.raises(PamongError) as caught:
            check_login(demo)
        assert caught.value.code == "db_not_initialised" and caught.value.where == "PAMONG_DATABASE_URL"
        assert f"may not switch to the restricted role '{role}'" in str(caught.value)
    finally:
        from core.extensions import db
        with demo.app_context():
            db.engine.dispose()
