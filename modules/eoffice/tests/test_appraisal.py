"""The review of a dossier due for its final disposition (penilaian arsip): transferred or
destroyed by a berita acara, or kept longer; a permanent series is never destroyed; nothing is
decided before the review date or twice; audited; over HTTP with every message on the form."""
from datetime import date

import pytest

from core.kit import ValidationError, db

from ..appraisal import review
from ..archive import DESTROYED, REVIEW_DUE, close_dossier, records, state
from ..models import Dossier
from .conftest import actor_of
from .helpers import signed


def due_dossier(tenant, people, final="musnah") -> int:
    """A dossier closed long ago, so its review date has passed."""
    signed(tenant, people)
    (dossier,) = [d for d, _, _ in records(tenant)]
    close_dossier(tenant, actor_of(tenant, people.drafter), dossier.id, closed_on=date(2015, 1, 5))
    dossier.final = final
    db.session.commit()
    return dossier.id


def test_a_due_dossier_is_destroyed_by_its_berita_acara_once(scoped, audit_entries):
    tenant, people = scoped
    dossier_id = due_dossier(tenant, people)
    me = actor_of(tenant, people.drafter)
    for decision, reference, on, where in (("burned", "BA-1", None, "decision"), (DESTROYED, " ", None, "reference"),
                                           (DESTROYED, "BA-1", date(2099, 1, 1), "on")):
        with pytest.raises(ValidationError) as error:
            review(tenant, me, dossier_id, decision, reference, on)
        assert error.value.where == where
        db.session.rollback()
    done = review(tenant, me, dossier_id, DESTROYED, "BA-07/ARSIP/2026", date(2026, 11, 20))
    db.session.commit()
    assert (done.outcome, done.outcome_on, done.outcome_ref) == (DESTROYED, date(2026, 11, 20), "BA-07/ARSIP/2026")
    assert state(done, date(2026, 12, 1)) == DESTROYED
    with pytest.raises(ValidationError) as error:
        review(tenant, me, dossier_id, DESTROYED, "BA-08")
    assert error.value.code == "not_due"
    db.session.rollback()
    (entry,) = audit_entries(tenant, "eoffice.dossier.review")
    assert entry["summary"]["after"]["reference"] == "BA-07/ARSIP/2026"


def test_a_permanent_series_is_transferred_never_destroyed_and_one_may_be_kept_longer(scoped):
    tenant, people = scoped
    dossier_id = due_dossier(tenant, people, final="permanen")
    me = actor_of(tenant, people.drafter)
    with pytest.raises(ValidationError) as error:
        review(tenant, me, dossier_id, DESTROYED, "BA-1")
    assert error.value.code == "permanent_record"
    db.session.rollback()
    for years in (0, 11):
        with pytest.raises(ValidationError) as error:
            review(tenant, me, dossier_id, "retained", years=years)
        assert error.value.where == "years"
        db.session.rollback()
    kept = review(tenant, me, dossier_id, "retained", years=2)
    db.session.commit()
    assert kept.outcome is None and kept.review_on.year >= 2028 and state(kept, date(2026, 12, 1)) != REVIEW_DUE
    with pytest.raises(ValidationError) as error:  # not due again until its new review date
        review(tenant, me, dossier_id, "transferred", "BA-2")
    assert error.value.code == "not_due"
    db.session.rollback()


def test_a_review_recorded_over_http(app, client, office, create_user, login):
    from core.kit import tenant_scope

    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        dossier_id = due_dossier(tenant, people, final="permanen")
    admin = app.test_client()
    login(admin, create_user(tenant, "admin"), tenant)
    page = admin.get(f"/t/{tenant.slug}/eoffice/archive/{dossier_id}").get_data(as_text=True)
    assert 'id="record-review"' in page
    bad = admin.post(f"/t/{tenant.slug}/eoffice/archive/{dossier_id}/review", data={"decision": "destroyed"})
    summary = bad.get_data(as_text=True).split('id="error-summary"')[1].split("</ul>")[0]
    assert bad.status_code == 400 and 'href="#decision"' in summary and 'href="#reference"' in summary
    done = admin.post(f"/t/{tenant.slug}/eoffice/archive/{dossier_id}/review",
                      data={"decision": "transferred", "reference": "BA-12/DISPUSIP/2026", "on": "2026-11-30"})
    assert done.status_code == 302
    page = admin.get(f"/t/{tenant.slug}/eoffice/archive/{dossier_id}").get_data(as_text=True)
    assert "BA-12/DISPUSIP/2026" in page.split('id="dossier-outcome"')[1] and 'id="record-review"' not in page
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Dossier.outcome).where(Dossier.id == dossier_id)).scalar_one() == "transferred"
