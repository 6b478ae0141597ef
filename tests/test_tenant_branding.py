"""The tenant file's ``[branding]``: ``tagline_en``, the tagline on English pages (optional, a
string as ``tagline``; without it English pages show ``tagline``)."""
import tomllib
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.tenancy.schema import parse_tenant

MAKASSAR = Path(__file__).resolve().parents[1] / "tenants" / "makassar.toml"
DOC = {"slug": "kota-uji", "name": "Kota Uji", "kind": "city", "timezone": "Asia/Makassar"}


def test_tagline_en_is_optional_and_kept():
    assert parse_tenant(dict(DOC), "t.toml").branding.tagline_en == ""
    doc = parse_tenant({**DOC, "branding": {"tagline": "Melayani", "tagline_en": "Serving you"}}, "t.toml")
    assert (doc.branding.tagline, doc.branding.tagline_en) == ("Melayani", "Serving you")
    assert doc.branding.model_dump()["tagline_en"] == "Serving you"


@pytest.mark.parametrize("value", [42, ["Serving"], True, None])
def test_tagline_en_is_a_string_as_tagline_is(value):
    for key in ("tagline", "tagline_en"):
        with pytest.raises(ValidationError) as caught:
            parse_tenant({**DOC, "branding": {key: value}}, "t.toml")
        assert f"branding.{key}" in str(caught.value)


def test_a_misspelt_key_is_still_refused():
    with pytest.raises(ValidationError) as caught:
        parse_tenant({**DOC, "branding": {"tagline_english": "Serving you"}}, "t.toml")
    assert "branding.tagline_english: unknown key" in str(caught.value)


def test_the_makassar_file_has_an_english_tagline():
    branding = tomllib.loads(MAKASSAR.read_text())["branding"]
    assert branding["tagline_en"] and branding["tagline_en"] != branding["tagline"]
    assert parse_tenant(tomllib.loads(MAKASSAR.read_text()), "makassar.toml").branding.tagline_en == branding["tagline_en"]


def test_english_pages_show_the_english_tagline(client, create_tenant):
    tenant = create_tenant(branding={"tagline": "Melayani sepenuh hati", "tagline_en": "Serving wholeheartedly"})
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "Melayani sepenuh hati" in page and "Serving wholeheartedly" not in page
    client.get(f"/t/{tenant.slug}/lang?locale=en&next=/")
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "Serving wholeheartedly" in page and "Melayani sepenuh hati" not in page


def test_without_tagline_en_english_pages_show_the_tagline(client, create_tenant):
    tenant = create_tenant(branding={"tagline": "Melayani sepenuh hati"})
    client.get(f"/t/{tenant.slug}/lang?locale=en&next=/")
    assert "Melayani sepenuh hati" in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
