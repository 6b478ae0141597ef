"""A tenant overrides any template from tenants/<slug>/templates/, even extending the original."""
from pathlib import Path


def test_tenant_override_changes_one_block_for_that_tenant_only(app, client, create_tenant):
    custom, plain = create_tenant(), create_tenant()
    folder = Path(app.config["PAMONG_TENANTS_DIR"]) / custom.slug / "templates"
    folder.mkdir(parents=True)
    (folder / "layout.html").write_text(
        '{% extends "layout.html" %}{% block head %}<meta name="made-by" content="kominfo">{% endblock %}'
    )
    (folder / "portal").mkdir()
    (folder / "portal" / "home.html").write_text(
        '{% extends "portal/home.html" %}{% block content %}<p id="welcome">Selamat datang</p>{{ super() }}{% endblock %}'
    )
    page = client.get(f"/t/{custom.slug}/").get_data(as_text=True)
    assert '<meta name="made-by" content="kominfo">' in page
    assert '<p id="welcome">Selamat datang</p>' in page and f"<h1>{custom.name}</h1>" in page
    other = client.get(f"/t/{plain.slug}/").get_data(as_text=True)
    assert "made-by" not in other and "welcome" not in other
    # the override of the layout applies to every page of that tenant
    assert '<meta name="made-by"' in client.get(f"/t/{custom.slug}/login").get_data(as_text=True)
