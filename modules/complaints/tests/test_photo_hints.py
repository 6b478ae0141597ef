"""The photo fields say the tenant's limits before they are met (issue 20.4; the issue 20 trial): the
filing form said only "JPEG, PNG atau WebP." while its errors and the add-information form named
3 photos and 5 MB. The filing form, its duplicate offer and the hotline form now name them."""
from __future__ import annotations

import re

from .conftest import SETTINGS


def _hint(page: str) -> str:
    field = page.split('id="photos"', 1)[1]
    return re.search(r"<small[^>]*>([^<]*)</small>", field).group(1)


def test_the_filing_form_names_the_photo_limits(client, make_tenant):
    tenant = make_tenant({**SETTINGS, "max_photos": 2, "max_photo_kb": 3072}, locales=["id", "en"])
    page = client.get(f"/t/{tenant.slug}/complaints/new", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert _hint(page) == "JPEG, PNG atau WebP; paling banyak 2 foto, masing-masing 3 MB."
    page = client.get(f"/t/{tenant.slug}/complaints/new", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _hint(page) == "JPEG, PNG or WebP; at most 2 photos of 3 MB each."
    # shown again with an error: the same hint
    answer = client.post(f"/t/{tenant.slug}/complaints/new", data={"category": "", "description": ""},
                         headers={"Accept-Language": "en"})
    assert answer.status_code == 400 and _hint(answer.get_data(as_text=True)) == (
        "JPEG, PNG or WebP; at most 2 photos of 3 MB each.")


def test_the_hotline_form_names_the_photo_limits(client, make_tenant, create_user, login):
    tenant = make_tenant({**SETTINGS, "max_photos": 1}, locales=["en", "id"])
    login(client, create_user(tenant, "officer", agency="DLH"), tenant)
    page = client.get(f"/t/{tenant.slug}/complaints/hotline").get_data(as_text=True)
    assert _hint(page).startswith("JPEG, PNG or WebP; at most 1 photo of ")


def test_the_fix_photo_picker_names_the_limits_and_offers_the_gallery(app, client, make_tenant, create_user, login):
    """Resolving: the limits in words ("2 photos of 3 MB each", not "3072 KB"), and no ``capture``
    attribute (on a phone it opens only the camera: a photo of the fix taken earlier could not be
    chosen)."""
    from core.kit import db, tenant_scope
    from modules.complaints import services, workflow

    tenant = make_tenant({**SETTINGS, "max_photos": 2, "max_photo_kb": 3072}, locales=["en", "id"])
    login(client, create_user(tenant, "officer", agency="DLH"), tenant)
    with app.app_context(), tenant_scope(tenant):
        complaint, _key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah di pasar"), "portal")
        for status in ("verified", "assigned", "in_progress"):
            workflow.transition(tenant, "system", complaint, status)
        db.session.commit()
        number = complaint.number
    page = client.get(f"/t/{tenant.slug}/complaints/track/{number}").get_data(as_text=True)
    picker = re.search(r'<input[^>]*id="fix-photos"[^>]*>', page).group(0)
    assert "capture" not in picker and 'accept="image/' in picker
    help_text = re.search(r'id="fix-photos"[^>]*>\s*<p class="help">([^<]*)</p>', page).group(1)
    assert help_text == "JPEG, PNG or WebP; at most 2 photos of 3 MB each."
