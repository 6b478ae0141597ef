"""The pages over HTTP, the way a browser uses them."""
from html import escape

from ..services import MODULE

TITLE_ID, TITLE_EN = "Remunerasi (TPP)", "Remuneration (TPP)"


def url(tenant, path=""):
    return f"/t/{tenant.slug}/{MODULE}/{path}"


def test_the_list_is_served_only_where_the_module_is_enabled(client, create_tenant):
    enabled = create_tenant(modules={MODULE: {}})
    other = create_tenant()
    assert client.get(url(enabled)).status_code == 200
    assert client.get(url(other)).status_code == 404
    assert client.get(f"/{MODULE}/").status_code == 404  # no tenant at all


def test_the_navigation_links_the_module_in_the_tenants_language(client, create_tenant):
    indonesian = create_tenant(modules={MODULE: {}}, locales=["id"])
    english = create_tenant(modules={MODULE: {}}, locales=["en"])
    home = client.get(f"/t/{indonesian.slug}/").get_data(as_text=True)
    assert f'href="{url(indonesian)}">{escape(TITLE_ID)}</a>' in home
    home = client.get(f"/t/{english.slug}/").get_data(as_text=True)
    assert f'href="{url(english)}">{escape(TITLE_EN)}</a>' in home
    without = create_tenant()
    assert f'href="{url(without)}"' not in client.get(f"/t/{without.slug}/").get_data(as_text=True)


def test_pages_speak_the_tenants_language(client, create_tenant):
    indonesian = create_tenant(modules={MODULE: {}}, locales=["id"])
    english = create_tenant(modules={MODULE: {}}, locales=["en"])
    assert "Belum ada entri." in client.get(url(indonesian)).get_data(as_text=True)
    assert "Nothing here yet." in client.get(url(english)).get_data(as_text=True)


def test_an_officer_adds_an_entry(client, create_tenant, create_user, login):
    tenant = create_tenant(modules={MODULE: {}})
    login(client, create_user(tenant, role="officer", agency="DLH"), tenant)
    assert 'href="%s"' % url(tenant, "new") in client.get(url(tenant)).get_data(as_text=True)
    assert client.get(url(tenant, "new")).status_code == 200
    response = client.post(url(tenant, "new"), data={"title": "Bantuan sosial", "details": "Tahap pertama"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url(tenant))
    page = client.get(url(tenant)).get_data(as_text=True)
    assert "Entri tersimpan." in page and "Bantuan sosial" in page and "Tahap pertama" in page


def test_a_bad_entry_comes_back_with_its_message(client, create_tenant, create_user, login):
    tenant = create_tenant(modules={MODULE: {"title_max_length": 10}})
    login(client, create_user(tenant, role="officer", agency="DLH"), tenant)
    blank = client.post(url(tenant, "new"), data={"title": ""})
    assert blank.status_code == 400 and "Isi judul." in blank.get_data(as_text=True)
    long = client.post(url(tenant, "new"), data={"title": "x" * 11})
    assert long.status_code == 400 and "Judul lebih dari 10 karakter." in long.get_data(as_text=True)
    assert "Belum ada entri." in client.get(url(tenant)).get_data(as_text=True)


def test_adding_needs_the_permission(client, create_tenant, create_user, login):
    tenant = create_tenant(modules={MODULE: {}})
    anonymous = client.get(url(tenant, "new"))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(client, create_user(tenant, role="citizen"), tenant)
    assert client.get(url(tenant, "new")).status_code == 403
    assert client.post(url(tenant, "new"), data={"title": "Tidak boleh"}).status_code == 403
    page = client.get(url(tenant)).get_data(as_text=True)
    assert "Tidak boleh" not in page and 'href="%s"' % url(tenant, "new") not in page
