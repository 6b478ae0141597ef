"""The demo's terminal shows the messages sent while someone tries it, not its seed data's backlog."""
from core.extensions import db
from core.kit import notify, tenant_scope
from core.notify import OutboxMessage


def test_seed_messages_are_delivered_quietly_then_new_ones_are_shown(app_ctx, create_tenant, monkeypatch, capsys):
    import core.jobs
    from core.commands.server import _deliver_seed_messages

    tenant = create_tenant()
    monkeypatch.setitem(app_ctx.config, "PAMONG_DEMO", True)
    monkeypatch.setattr(core.jobs, "deliver_notification", lambda *args, **kwargs: None)  # left queued
    with tenant_scope(tenant):
        notify(tenant, "sms", "081234567789", "Seed message", ref="demo:seed")
        db.session.commit()
    capsys.readouterr()
    assert _deliver_seed_messages(app_ctx) >= 1
    assert "Seed message" not in capsys.readouterr().err
    assert "PAMONG_CONSOLE_ECHO" not in app_ctx.config
    with tenant_scope(tenant):
        row = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.ref == "demo:seed")).scalar_one()
        assert row.status == "sent"
    monkeypatch.undo()
    monkeypatch.setitem(app_ctx.config, "PAMONG_DEMO", True)
    with tenant_scope(tenant):
        notify(tenant, "sms", "081234567789", "A new message", ref="demo:new")
        db.session.commit()
    err = capsys.readouterr().err
    assert "A new message" in err and "+62812****789" in err and "081234567789" not in err
