"""A province's auditor sees the figures of its cities (issue 14.7): counts per agency of each
child tenant, read-only, each reading audited in the child's trail and the province's; a city's
officer and the auditor of an unrelated province do not."""
import re

from core.kit import tenant_scope

from .helpers import signed


def test_a_province_auditor_sees_its_cities_figures(app, client, create_tenant, create_user, login, make_tenant,
                                                     audit_entries):
    province = create_tenant(kind="province", name="Provinsi Sulawesi Selatan", modules={"eoffice": {}})
    other = create_tenant(kind="province", name="Provinsi Lain", modules={"eoffice": {}})
    city, people = make_tenant(parent=province.slug, name="Kota Makassar Uji")
    with app.app_context(), tenant_scope(city):
        signed(city, people)
    auditor = create_user(province, "auditor")
    login(client, auditor, province)
    page = client.get(f"/t/{province.slug}/eoffice/figures/cities")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    section = re.search(rf'id="child-{city.slug}">(.*?)</section>', text, re.S).group(1)
    assert "Kota Makassar Uji" in section and "Dinas Lingkungan Hidup (DLH)" in section
    assert re.search(r'\(DLH\)</th>\s*<td[^>]*>1</td>', section)  # one letter out (signed) of DLH
    assert [e["action"] for e in audit_entries(city, "eoffice.figures.read_by_province")] == \
           ["eoffice.figures.read_by_province"]
    assert len(audit_entries(province, "eoffice.figures.read_children")) == 1
    # the auditor of another province sees none of this city
    stranger = create_user(other, "auditor")
    client.get(f"/t/{province.slug}/logout")
    login(client, stranger, other)
    assert f'id="child-{city.slug}"' not in client.get(f"/t/{other.slug}/eoffice/figures/cities").get_data(as_text=True)
    # a city's officer has no oversight there
    client.get(f"/t/{other.slug}/logout")
    login(client, people.drafter, city)
    assert client.get(f"/t/{city.slug}/eoffice/figures/cities").status_code == 403
