"""Fixtures of the e-office tests: a tenant with two agencies and positions (a secretary who
verifies, a head who signs, an acting head), people holding them, and an actor for each."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from core.kit import Actor, User, assign_holder, db, find_position, local_date, tenant_scope, utcnow

AGENCIES = [
    {"code": "DLH", "name": "Dinas Lingkungan Hidup", "positions": [
        {"code": "KADIS-DLH", "name": "Kepala Dinas Lingkungan Hidup", "head": True},
        {"code": "SEK-DLH", "name": "Sekretaris Dinas Lingkungan Hidup"},
        {"code": "KABID-DLH", "name": "Kepala Bidang Kebersihan"},
    ]},
    {"code": "PU", "name": "Dinas Pekerjaan Umum", "positions": [
        {"code": "KADIS-PU", "name": "Kepala Dinas Pekerjaan Umum", "head": True},
    ]},
]


SINCE = date(2020, 1, 1)  # the definitive holders hold their positions since long before any test's day


@dataclass
class People:
    drafter: str
    kabid: str
    sekdis: str
    kadis: str
    kadis_pu: str
    staff_pu: str
    outsider: str
    auditor: str


@pytest.fixture
def make_tenant(app, create_tenant, create_user):
    def make(settings=None, **fields):
        from core.documents.certs import ensure_tenant_cert

        tenant = create_tenant(modules={"eoffice": settings or {}}, agencies=AGENCIES,
                               extra={"address": "Jl. Ahmad Yani No. 2"}, **fields)
        ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
        people = People(
            drafter=create_user(tenant, "officer", agency="DLH"), kabid=create_user(tenant, "officer", agency="DLH"),
            sekdis=create_user(tenant, "officer", agency="DLH"), kadis=create_user(tenant, "officer", agency="DLH"),
            kadis_pu=create_user(tenant, "officer", agency="PU"), staff_pu=create_user(tenant, "officer", agency="PU"),
            outsider=create_user(tenant, "officer", agency="PU"), auditor=create_user(tenant, "auditor"),
        )
        with app.app_context():
            for code, email in (("KABID-DLH", people.kabid), ("SEK-DLH", people.sekdis), ("KADIS-DLH", people.kadis),
                                ("KADIS-PU", people.kadis_pu)):
                assign_holder(tenant, find_position(tenant, code), email, "test", start=SINCE)
            db.session.commit()
        return tenant, people

    return make


@pytest.fixture
def office(make_tenant):
    return make_tenant()


def actor_of(tenant, email) -> Actor:
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
    return Actor.for_user(user, tenant)


def make_acting(app, tenant, position, email):
    """``email`` holds ``position`` as Plt. from yesterday (the definitive holders stay)."""
    with app.app_context():
        assign_holder(tenant, find_position(tenant, position), email, "test", acting=True,
                      start=local_date(tenant, utcnow()) - timedelta(days=1))
        db.session.commit()


@pytest.fixture
def scoped(app_ctx, office):
    with tenant_scope(office[0]):
        yield office
