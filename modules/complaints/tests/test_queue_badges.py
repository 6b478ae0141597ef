"""The queue's privacy badges in the reader's language (the issue 20 trial: the English queue read
"rahasia" and "anonim", the words of the Indonesian one)."""
from __future__ import annotations

import pytest

from .queue_common import file, in_table, officer  # noqa: F401  (officer: a fixture)


@pytest.fixture
def tenant(make_tenant):
    return make_tenant(locales=["id", "en"])


@pytest.mark.parametrize("language, words, not_words", [
    ("en", ("confidential", "anonymous"), ("rahasia", "anonim")),
    ("id", ("rahasia", "anonim"), ("confidential", "anonymous")),
])
def test_the_privacy_badges_speak_the_readers_language(app, tenant, officer, language, words, not_words):
    file(app, tenant, confidential=True, anonymous=True, phone="081234567890")
    officer.set_cookie("pamong_locale", language)
    page = officer.get(f"/t/{tenant.slug}/complaints/queue")
    assert page.status_code == 200
    badges = [part.split("</span>", 1)[0] for part in in_table(page.get_data(as_text=True))
              .split('class="privacy-badge">')[1:]]
    assert sorted(badges) == sorted(words) and not set(badges) & set(not_words)
