"""English counts say "1 complaint", not "1 complaints" (the issue 20 trial): the public map's count
and the queue's message after a bulk step. Indonesian has one form for both."""
from __future__ import annotations

import html as markup
import re

from .location_common import IN_PNK, mapped, post_form, speak, url  # noqa: F401  (mapped: fixture)
from .queue_common import file, move, officer  # noqa: F401  (officer: the fixture)


def _count_templates(page: str) -> tuple[str, str]:
    span = re.search(r'<span id="map-count"([^>]*)>', page).group(1)
    return tuple(markup.unescape(re.search(rf'{name}="([^"]*)"', span).group(1)) for name in ("data-one", "data-other"))


def test_the_maps_count_has_a_singular_in_english(client, mapped):
    assert post_form(client, mapped, latitude=IN_PNK[0], longitude=IN_PNK[1], file_anyway="1").status_code == 302
    speak(client, "en")
    assert _count_templates(client.get(url(mapped, "map")).get_data(as_text=True)) == (
        "{n} complaint on the map.", "{n} complaints on the map.")
    speak(client, "id")
    assert _count_templates(client.get(url(mapped, "map")).get_data(as_text=True)) == (
        "{n} pengaduan di peta.", "{n} pengaduan di peta.")


def test_a_bulk_step_on_one_complaint_says_one_complaint(app, tenant, officer):
    numbers = file(app, tenant, 3)
    for n in numbers:
        move(app, tenant, n, "verified")
    base = f"/t/{tenant.slug}/complaints"
    said = []
    for chosen in (numbers[:1], numbers[1:]):
        answer = officer.post(f"{base}/queue/bulk", data={"numbers": chosen, "bulk-action": "assign:me"},
                              headers={"Accept-Language": "en"}, follow_redirects=True)
        assert answer.status_code == 200
        said.append(re.search(r"\d+ complaints? changed\.", answer.get_data(as_text=True)).group(0))
    assert said == ["1 complaint changed.", "2 complaints changed."]
