"""Location (issue 20.1): the kecamatan/kelurahan lookup from coordinates by the tenant's boundaries,
the village list of the chosen district (with and without JavaScript), and coordinates on filing:
outside Indonesia or the tenant's area refused with nothing saved, the district and village filled."""
import re

import pytest

from .location_common import (  # noqa: F401  (english, mapped, tenant: fixtures)
    IN_CITY_ELSEWHERE, IN_MRS, IN_PNK, JAKARTA, PARIS, count, english, mapped, only, post_form, select_options,
    tenant, unit_id, url,
)


# -- the lookup -------------------------------------------------------------------------------------

def test_the_lookup_names_the_district_and_village(client, mapped):
    answer = client.get(url(mapped, f"locate?lat={IN_MRS[0]}&lon={IN_MRS[1]}"))
    assert answer.status_code == 200
    assert answer.get_json() == {"district": {"code": "MRS", "name": "Mariso"},
                                 "village": {"code": "MRS-BTN", "name": "Bontorannu"}}
    elsewhere = client.get(url(mapped, f"locate?lat={IN_CITY_ELSEWHERE[0]}&lon={IN_CITY_ELSEWHERE[1]}"))
    assert elsewhere.status_code == 200 and elsewhere.get_json() == {"district": None, "village": None}


@pytest.mark.parametrize("query, code", [
    (f"lat={JAKARTA[0]}&lon={JAKARTA[1]}", "outside_area"),
    (f"lat={PARIS[0]}&lon={PARIS[1]}", "outside_indonesia"),
    ("lat=abc&lon=119", "invalid_coordinate"),
    ("lat=-5.1", "incomplete_coordinates"),
    ("lat=" + "9" * 400 + "&lon=119", "invalid_coordinate"),
])
def test_the_lookup_refuses_bad_coordinates_with_a_stable_code(client, mapped, query, code):
    answer = client.get(url(mapped, f"locate?{query}"))
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == code and answer.get_json()["error"]["message"]


def test_without_boundaries_the_lookup_names_nothing_and_any_place_in_indonesia_is_accepted(client, tenant):
    answer = client.get(url(tenant, f"locate?lat={JAKARTA[0]}&lon={JAKARTA[1]}"))
    assert answer.status_code == 200 and answer.get_json() == {"district": None, "village": None}
    assert client.get(url(tenant, f"locate?lat={PARIS[0]}&lon={PARIS[1]}")).status_code == 400


# -- the village list of the chosen district ----------------------------------------------------------

def test_the_village_list_follows_the_chosen_district(app, client, tenant):
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    assert select_options(page, "village") == ["", "MRS-BTN", "PNK-PNK"]  # none chosen: all
    assert 'data-district="PNK" value="PNK-PNK"' in page  # for the script
    page = client.get(url(tenant, "new?district=MRS")).get_data(as_text=True)
    assert select_options(page, "village") == ["", "MRS-BTN"]
    # without JavaScript: the "show the villages" button; nothing is filed, no error is shown
    answer = post_form(client, tenant, district="PNK", step="district", description="")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and select_options(page, "village") == ["", "PNK-PNK"]
    assert 'id="error-summary"' not in page and 'class="error"' not in page and count(app, tenant) == 0
    assert client.get(url(tenant, "villages.json")).get_json() == [
        {"code": "MRS-BTN", "name": "Mariso — Bontorannu", "district": "MRS"},
        {"code": "PNK-PNK", "name": "Panakkukang — Panaikang", "district": "PNK"},
    ]


def test_without_javascript_the_coordinates_find_the_district(app, client, mapped):
    page = post_form(client, mapped, latitude=IN_PNK[0], longitude=IN_PNK[1], step="locate").get_data(as_text=True)
    assert re.search(r'<option selected value="PNK">|<option value="PNK" selected>', page)
    assert select_options(page, "village") == ["", "PNK-PNK"] and count(app, mapped) == 0
    bad = post_form(client, mapped, latitude=PARIS[0], longitude=PARIS[1], step="locate")
    assert "outside Indonesia" in bad.get_data(as_text=True) and count(app, mapped) == 0


# -- coordinates on filing ---------------------------------------------------------------------------

@pytest.mark.parametrize("point, message", [
    (PARIS, "This place is outside Indonesia"),
    (JAKARTA, "This place is outside the area of"),
    (("-11.5", "119.4"), "This place is outside Indonesia"),
])
def test_coordinates_outside_indonesia_or_the_area_are_refused_and_nothing_is_saved(app, client, mapped, point,
                                                                                     message):
    answer = post_form(client, mapped, latitude=point[0], longitude=point[1])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert 'href="#latitude"' in summary and message in summary
    assert count(app, mapped) == 0


def test_outside_indonesia_is_refused_on_every_channel(app, client, tenant, token_for_tenant):
    token = token_for_tenant(tenant, "complaints:write")
    answer = client.post(f"/t/{tenant.slug}/api/v1/complaints/", json={
        "category": "SAMPAH", "description": "Sampah di selokan", "lat": 48.85, "long": 2.35,
    }, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and "outside_indonesia" in answer.get_data(as_text=True)
    assert count(app, tenant) == 0


def test_coordinates_fill_the_district_and_village_left_empty(app, client, mapped):
    answer = post_form(client, mapped, latitude=IN_MRS[0], longitude=IN_MRS[1])
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    assert only(app, mapped) == (unit_id(app, mapped, "MRS"), unit_id(app, mapped, "MRS-BTN"), -5.15)


def test_a_chosen_district_is_kept(app, client, mapped):
    answer = post_form(client, mapped, latitude=IN_MRS[0], longitude=IN_MRS[1], district="PNK")
    assert answer.status_code == 302
    assert only(app, mapped)[:2] == (unit_id(app, mapped, "PNK"), None)


def test_coordinates_without_a_tile_server_are_accepted(app, client, tenant):
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    assert 'id="pick-map"' not in page and "leaflet" not in page
    assert 'id="use-location"' in page  # the button, shown by the script where the browser can
    answer = post_form(client, tenant, latitude=JAKARTA[0], longitude=JAKARTA[1])
    assert answer.status_code == 302 and count(app, tenant) == 1
