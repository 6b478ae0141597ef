"""Concurrent signings in one unit and classification never share or skip a number (issue 14.3),
on SQLite and PostgreSQL; a letter signed by two people at once gets one number."""
from core.kit import db, tenant_scope

from ..concurrency import sign_concurrently
from .helpers import verified

LETTERS = 6


def test_concurrent_signings_are_gap_free_and_unique(app, app_ctx, office):
    tenant, people = office
    with tenant_scope(tenant):
        ids = [verified(tenant, people, subject=f"Surat {n}") for n in range(LETTERS)]
    results = sign_concurrently(app, tenant, people.kadis, ids, 2, threads=4)
    assert [r[2] for r in results] == [""] * LETTERS, results
    serials = sorted(int(number.split("/")[1]) for _, number, _ in results)
    assert serials == list(range(1, LETTERS + 1))


def test_the_same_letter_signed_twice_at_once_is_numbered_once(app, app_ctx, office):
    tenant, people = office
    with tenant_scope(tenant):
        letter_id = verified(tenant, people)
    results = sign_concurrently(app, tenant, people.kadis, [letter_id] * 3, 2, threads=3)
    numbers = [r[1] for r in results if r[1]]
    assert numbers == ["000.8.3.3/1/DLH"], results
    assert sorted(r[2] for r in results if not r[1]) == ["already_signed", "already_signed"]
    with tenant_scope(tenant):
        db.session.rollback()
