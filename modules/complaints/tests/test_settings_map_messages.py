"""The map settings checked where they are written, in the reader's language (issue 20.7; the issue 20
trial): a tile URL without {z}/{x}/{y} or boundaries that cannot be read were shown on the Indonesian
admin page as "Nilai tidak sah: must be a tile URL template ..." (the CLI's English line). Each now has
its own translated sentence on its field, nothing saved; ``tenant apply`` keeps the English line."""
import json

from .test_settings_form import _admin, _error, _form, _stored


def test_a_tile_url_without_its_placeholders_is_refused_in_indonesian(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client, locales=("id", "en"))
    before = _stored(app, tenant)
    response = client.post(url, data=_form(app, map_tile_url="https://tile.example.id/peta.png"))
    assert response.status_code == 400
    message = _error(response.get_data(as_text=True), "map_tile_url")
    assert message == ("Berikan templat URL ubin dengan {z}, {x} dan {y}, misalnya "
                       "https://tile.example.id/{z}/{x}/{y}.png.")
    assert _stored(app, tenant) == before


def test_a_tile_url_without_its_placeholders_is_refused_in_english(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client)
    response = client.post(url, data=_form(app, map_tile_url="https://tile.example.id/map.png"))
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "map_tile_url") == (
        "Give a tile URL template with {z}, {x} and {y}, for example https://tile.example.id/{z}/{x}/{y}.png.")


def test_boundaries_that_cannot_be_read_are_refused_in_indonesian(app, client, make_tenant, create_user, login):
    tenant, url = _admin(make_tenant, create_user, login, client, locales=("id", "en"))
    before = _stored(app, tenant)
    response = client.post(url, data=_form(app, boundaries="tidak-ada.geojson"))
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "boundaries") == (
        "Tidak ada berkas tidak-ada.geojson di folder tenant.")
    feature = {"type": "Feature", "properties": {"kind": "district", "code": "NOPE"},
               "geometry": {"type": "Polygon", "coordinates": [[[119.4, -5.2], [119.5, -5.2], [119.5, -5.1],
                                                                [119.4, -5.1], [119.4, -5.2]]]}}
    response = client.post(url, data=_form(app, boundaries=json.dumps(
        {"type": "FeatureCollection", "features": [feature]})))
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "boundaries") == (
        "features.1: Tenant tidak mempunyai kecamatan atau kelurahan dengan kode NOPE.")  # the feature named
    assert _stored(app, tenant) == before


def test_tenant_apply_keeps_the_english_line(app, make_tenant):
    from core.kit import ValidationError
    from modules.complaints.settings import check_settings

    from .conftest import SETTINGS

    tenant = make_tenant()
    with app.app_context():
        try:
            check_settings(tenant, {**SETTINGS, "map_tile_url": "https://tile.example.id/map.png"})
        except ValidationError as exc:
            assert exc.message.startswith("must be a tile URL template with {z}, {x} and {y}")
            assert exc.where == "modules.complaints.settings.map_tile_url"
        else:
            raise AssertionError("a tile URL without {z}/{x}/{y} was accepted")
