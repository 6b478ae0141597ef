"""Forms on a phone (issue 20.4), on the filing form: the error summary at the top linking to each
field, messages in the visitor's language, the limits named in the photo errors, and phone-friendly
inputs."""
import re

from .conftest import image_bytes
from .location_common import (  # noqa: F401  (english, tenant: fixtures)
    ID, count, english, post_form, tenant, url,
)


# -- forms on a phone ------------------------------------------------------------------------------------

def test_the_error_summary_links_to_each_field(app, client, tenant):
    answer = post_form(client, tenant, category="", description="", phone="12", email="not-an-address")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    summary = re.search(r'<div class="error-summary" id="error-summary" role="alert".*?</div>', page, re.S).group(0)
    assert page.index("error-summary") < page.index('name="category"')  # at the top
    for field in ("category", "description"):
        assert f'href="#{field}"' in summary and f'id="{field}"' in page
    assert count(app, tenant) == 0


def test_messages_are_indonesian_by_default(client, tenant):
    page = post_form(client, tenant, category="", description="", lang=ID).get_data(
        as_text=True)
    assert "This field is required." not in page and "Kolom ini wajib diisi." in page


def test_photo_errors_name_the_limit(app, client, tenant):
    three = [(image_bytes(), f"p{i}.jpg") for i in range(3)]
    page = post_form(client, tenant, photos=three).get_data(as_text=True)
    assert "At most 2 photos." in page
    page = post_form(client, tenant, photos=three, lang=ID).get_data(as_text=True)
    assert "Paling banyak 2 foto." in page
    big = image_bytes(size=(1600, 1200), exif=False) + b"\0" * (301 * 1024)
    page = post_form(client, tenant, photos=[(big, "big.jpg")], lang=ID).get_data(
        as_text=True)
    assert "Ukuran foto paling besar 300 KB." in page
    assert count(app, tenant) == 0


def test_the_inputs_suit_a_phone(client, tenant):
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    phone = re.search(r"<input[^>]*name=\"phone\"[^>]*>", page).group(0)
    email = re.search(r"<input[^>]*name=\"email\"[^>]*>", page).group(0)
    photos = re.search(r"<input[^>]*name=\"photos\"[^>]*>", page).group(0)
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone
    assert 'type="email"' in email and 'inputmode="email"' in email
    assert 'accept="image/*"' in photos and "multiple" in photos
