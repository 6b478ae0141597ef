"""Findings of the re-trial t14b, defect 1: a refusal whose field the page does not show (a hidden
``step``, a form no longer on the page after a stale tab or a second post) is said at the page's top,
in the reader's language, never a blank 400."""
from __future__ import annotations

from datetime import date

import pytest

from core.kit import db, tenant_scope

from ..archive import records
from ..delivery import dispose, follow_up
from .conftest import actor_of
from .helpers import signed, submitted, verified
from .test_delivery import sent, user_id
from .test_own_paraf import _own_letter


def url(tenant, path=""):
    return f"/t/{tenant.slug}/eoffice/{path}"


def _refused(client, path, data, said):
    response = client.post(path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:300]
    assert f'<p class="error" role="alert">{said}' in page, page  # said as a refusal, not a note
    return page


@pytest.mark.parametrize("who, action, make, step, said", [
    ("kadis", "verify", verified, 2, "Langkah terakhir adalah tanda tangan: tandatangani naskah."),
    ("kabid", "sign", submitted, 0, "Hanya langkah terakhir yang menandatangani."),
])
def test_a_refusal_on_the_hidden_step_is_said_at_the_top(app, client, office, login, who, action, make, step, said):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = make(tenant, people)
    login(client, getattr(people, who), tenant)
    _refused(client, url(tenant, f"letters/{letter_id}/{action}"), {"step": step}, said)


def test_the_own_draft_refusal_is_said_at_the_top(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = _own_letter(tenant, people)
    login(client, people.sekdis, tenant)
    _refused(client, url(tenant, f"letters/{letter_id}/verify"), {"step": 0}, "Anda menyusun naskah ini")


def test_finishing_a_signed_letter_says_it_is_signed_and_nothing_about_a_kept_number(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = signed(tenant, people).id
    login(client, people.kadis, tenant)
    page = _refused(client, url(tenant, f"letters/{letter_id}/finish"), {}, "Surat ini sudah ditandatangani.")
    assert "Nomor sudah diambil" not in page


def test_withdrawing_a_letter_no_longer_a_draft_is_refused_with_its_reason(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = submitted(tenant, people)
    login(client, people.drafter, tenant)
    _refused(client, url(tenant, f"letters/{letter_id}/withdraw"), {"reason": "Salah tujuan"},
             "Hanya konsep yang dapat dibatalkan.")


def test_a_second_follow_up_is_refused_with_its_reason(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = sent(tenant, people).id
        row = dispose(tenant, actor_of(tenant, people.kadis_pu), letter_id, user_id(tenant, people.staff_pu), "Siapkan")
        db.session.commit()
        disposition_id = row.id
        follow_up(tenant, actor_of(tenant, people.staff_pu), disposition_id, "Sudah disiapkan")
        db.session.commit()
    login(client, people.staff_pu, tenant)
    _refused(client, url(tenant, f"dispositions/{disposition_id}/follow-up?letter={letter_id}"),
             {"follow_up": "Lagi"}, "Tindak lanjutnya sudah dilaporkan.")


def test_a_dossier_review_before_its_date_is_refused_with_its_reason(app, client, office, create_user, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        signed(tenant, people)
        (dossier,) = [d for d, _, _ in records(tenant)]
        dossier_id = dossier.id
    login(client, create_user(tenant, "admin"), tenant)
    response = client.post(url(tenant, f"archive/{dossier_id}/review"),
                           data={"decision": "transferred", "reference": "BA-1", "on": date.today().isoformat()})
    assert response.status_code == 400 and "Berkas ini belum waktunya dinilai." in response.get_data(as_text=True)


def test_a_search_for_a_wildcard_matches_only_letters_holding_it(scoped):
    """Defect 5: ``%`` and ``_`` are searched as typed, not as wildcards."""
    from ..access import who
    from ..queries import inbox

    tenant, people = scoped
    plain = sent(tenant, people).id
    rate = sent(tenant, people, subject="Kenaikan tarif 10% retribusi_sampah").id
    head = who(tenant, actor_of(tenant, people.kadis_pu))
    assert {row.id for row, _ in inbox(tenant, head).rows} == {plain, rate}
    for q in ("%", "_", "10%", "retribusi_sampah"):
        assert [row.id for row, _ in inbox(tenant, head, q=q).rows] == [rate], q
    assert inbox(tenant, head, q="10%x").rows == []


def test_a_refused_setting_is_said_in_indonesian_without_the_servers_folder(app, app_ctx, make_tenant):
    """Defect 2: the emblem and the classification refusals have an Indonesian message; neither
    names the deployment's folders."""
    from flask_babel import force_locale

    from core.kit import ValidationError, change_module_settings

    tenant, _ = make_tenant()
    said = {}
    for key, value in (("kop_emblem_agency", "../outside.png"), ("kop_emblem_kepala_daerah", "lambang/tiada.png"),
                       ("classifications", [{"code": "999.1.1", "name": "Uji"}])):
        with pytest.raises(ValidationError) as refused:
            change_module_settings(tenant, "eoffice", {key: value}, "test")
        assert app.static_folder not in str(refused.value) and "/work/" not in str(refused.value)
        with force_locale("id"):
            said[key] = str(refused.value.local)
    assert said["kop_emblem_agency"] == "../outside.png bukan berkas PNG atau SVG paling besar 2 MB di folder static."
    assert said["kop_emblem_kepala_daerah"].startswith("lambang/tiada.png bukan berkas PNG")
    assert said["classifications"] == "Kode klasifikasi 999.1.1 tidak mempunyai kode induk 999.1."
