"""`pamong init`/`db upgrade` with PAMONG_DATABASE_OWNER_URL but no PostgreSQL PAMONG_DATABASE_URL
(README "Running it for real" needs both) stops before touching the database: it used to migrate
PostgreSQL as the owner, turn the default role ``pamong_app`` into a LOGIN without a password, and
leave the app itself on the default SQLite file."""
import pytest

from core import create_app, migrate
from core.errors import PamongError

NOWHERE = "postgresql://owner:secret@127.0.0.1:1/nowhere"  # never reached: the check comes first


@pytest.mark.parametrize("app_url", [None, "sqlite:///{tmp}/pamong.db"])
def test_an_owner_url_needs_a_postgresql_app_url(app_url, monkeypatch, tmp_path, pamong_extra_plugins):
    monkeypatch.delenv("PAMONG_DATABASE_URL", raising=False)
    config = {"DATABASE_OWNER_URL": NOWHERE, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path)}
    if app_url:
        config["DATABASE_URL"] = app_url.format(tmp=tmp_path)
    app = create_app(config, extra_plugins=pamong_extra_plugins)
    with pytest.raises(PamongError) as caught:
        migrate.upgrade(app)
    assert caught.value.code == "db_app_url_missing"
    assert caught.value.where == "PAMONG_DATABASE_URL"
