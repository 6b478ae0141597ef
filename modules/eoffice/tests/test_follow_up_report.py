"""A follow-up (tindak lanjut) may come with its report, a PDF: checked as an attachment is, kept
for the tenant, offered on the letter's page to whoever may read the letter."""
import pytest

from core.kit import ValidationError, db, storage, tenant_scope

from ..delivery import dispose, follow_up
from ..demo import scan_pdf
from ..models import Disposition
from .conftest import actor_of
from .test_delivery import sent, user_id
from .test_pages import url

REPORT = scan_pdf(["Laporan tindak lanjut"])  # a PDF that opens (attachments.opens)


def test_a_follow_up_keeps_its_report_and_refuses_one_that_is_not_a_pdf(scoped, audit_entries):
    tenant, people = scoped
    letter = sent(tenant, people)
    row = dispose(tenant, actor_of(tenant, people.kadis_pu), letter.id, user_id(tenant, people.staff_pu), "Laporkan")
    db.session.commit()
    staff = actor_of(tenant, people.staff_pu)
    with pytest.raises(ValidationError) as error:
        follow_up(tenant, staff, row.id, "Sudah", ("foto.pdf", b"\x89PNG not a pdf"))
    assert (error.value.where, error.value.code) == ("report", "not_pdf")
    db.session.rollback()
    assert db.session.execute(db.select(Disposition.status).where(Disposition.id == row.id)).scalar_one() == "open"
    done = follow_up(tenant, staff, row.id, "Bahan sudah disiapkan", ("laporan.pdf", REPORT))
    db.session.commit()
    assert done.report_name == "laporan.pdf" and storage().get(done.report_key, tenant=tenant) == REPORT
    assert audit_entries(tenant, "eoffice.disposition.follow_up")[-1]["summary"]["after"]["report"] == \
           {"filename": "laporan.pdf", "size": len(REPORT)}


def test_the_report_is_offered_on_the_letters_page(app, client, office, login, create_user):
    from io import BytesIO

    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter = sent(tenant, people, security="rahasia")
        row = dispose(tenant, actor_of(tenant, people.kadis_pu), letter.id, user_id(tenant, people.staff_pu), "Laporkan")
        db.session.commit()
        letter_id, row_id = letter.id, row.id
    login(client, people.staff_pu, tenant)
    response = client.post(url(tenant, f"dispositions/{row_id}/follow-up?letter={letter_id}"),
                           data={"follow_up": "Sudah dilaksanakan", "report": (BytesIO(REPORT), "laporan kegiatan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    head = app.test_client()
    login(head, people.kadis_pu, tenant)
    page = head.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    link = page.split('class="eo-report"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert head.get(link).data == REPORT
    outsider = app.test_client()
    login(outsider, create_user(tenant, "officer", agency="DLH"), tenant)  # of the issuing unit, not a reader of rahasia
    assert outsider.get(link).status_code == 404
