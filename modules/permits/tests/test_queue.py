"""The office's queue (issue 15, Pages): paginated, filterable by stage and overdue, searchable by
reference, permit number, the applicant's name and NIK/NIB; the same over HTTP with the filters kept."""
from __future__ import annotations

from core.kit import db, tenant_scope

from .. import queries, services
from .conftest import NIK
from .test_services import APPLICANT, draft

OTHER_NIK = "7371015203850002"


def submitted(tenant, citizen, name, nik=NIK, kind="PBG"):
    applicant = {**APPLICANT, "name": name, "nik": nik}
    if kind == "PBG":
        app_ = services.save_draft(tenant, citizen, "PBG", applicant, {"luas_m2": "150", "alamat": "Jl. A"})
        from .conftest import jpeg, pdf

        services.attach(tenant, citizen, app_, "ktp", jpeg(), "ktp.jpg")
        services.attach(tenant, citizen, app_, "gambar", pdf(), "gambar.pdf")
    else:
        app_ = services.save_draft(tenant, citizen, "SKU", applicant, {"usaha": "Warung"})
    return services.submit(tenant, citizen, app_.id)


def refs(page) -> list[str]:
    return [a.reference for a in page.items]


def test_the_queue_pages_filters_and_searches(app_ctx, tenant, people, actor, frozen_clock):
    citizen = actor(people["citizen"])
    andi = submitted(tenant, citizen, "Andi Mappanyukki")
    besse = submitted(tenant, citizen, "Besse Tenri", nik=OTHER_NIK)
    services.approve_stage(tenant, actor(people["intake"]), besse.id, 0)     # besse now awaits stage 1
    frozen_clock.advance(days=10)                                               # both past their 5 days
    sku = submitted(tenant, citizen, "Coto Daeng", kind="SKU")                  # due in 2 working days
    draft(tenant, citizen)                                                      # a draft is not the office's
    db.session.commit()

    everything = queries.queue(tenant)
    assert refs(everything) == [andi.reference, besse.reference, sku.reference]  # the oldest deadline first
    first, second = queries.queue(tenant, page=1, per_page=2), queries.queue(tenant, page=2, per_page=2)
    assert refs(first) == [andi.reference, besse.reference] and first.has_next
    assert refs(second) == [sku.reference] and not second.has_next
    assert refs(queries.queue(tenant, stage=1)) == [besse.reference]
    assert refs(queries.queue(tenant, stage=0)) == [andi.reference, sku.reference]
    assert refs(queries.queue(tenant, overdue=True)) == [andi.reference, besse.reference]
    assert refs(queries.queue(tenant, type_code="SKU")) == [sku.reference]
    assert refs(queries.queue(tenant, q=besse.reference.lower())) == [besse.reference]
    assert refs(queries.queue(tenant, q="besse")) == [besse.reference]
    assert refs(queries.queue(tenant, q=OTHER_NIK)) == [besse.reference]
    assert refs(queries.queue(tenant, q="7371 0152 0385 0002")) == [besse.reference]  # as written on a KTP
    assert refs(queries.queue(tenant, q="1234567890123456")) == []
    assert refs(queries.queue(tenant, q="REG/NOPE/1")) == []
    assert refs(queries.queue(tenant, q="%")) == []                                  # a wildcard is a character


def test_the_queue_page_keeps_its_filters_and_refuses_a_bad_page(app, client, tenant, people, actor, login):
    with app.app_context():
        citizen = actor(people["citizen"])
        one = submitted(tenant, citizen, "Andi Mappanyukki")
        with tenant_scope(tenant):
            reference = one.reference
        db.session.commit()
    login(client, people["intake"], tenant)
    base = f"/t/{tenant.slug}/permits/queue"
    page = client.get(base, query_string={"stage": "0", "q": "Andi"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and reference in text and 'value="Andi"' in text
    assert reference not in client.get(base, query_string={"stage": "1"}).get_data(as_text=True)
    assert reference not in client.get(base, query_string={"overdue": "1"}).get_data(as_text=True)
    assert client.get(base, query_string={"page": "0"}).status_code == 400
    assert client.get(base, query_string={"stage": "x"}).status_code == 400


def test_closed_applications_are_listed_when_asked_and_found_by_their_permit_number(app, client, tenant, people,
                                                                                   actor, login, signer):
    """Issue 15 trial: ``?status=issued|rejected|withdrawn`` showed the open ones and a permit number
    found nothing (the queue held open applications only). The closed are listed by their status on
    request, a reference or permit number finds its application whatever its status, and an unknown
    status is refused (400) as a bad stage is."""
    from .. import issuance, withdrawal

    with app.app_context():
        citizen = actor(people["citizen"])
        open_one = submitted(tenant, citizen, "Andi Mappanyukki")
        issued = submitted(tenant, citizen, "Coto Daeng", kind="SKU")
        services.approve_stage(tenant, actor(people["intake"]), issued.id, 0)
        issuance.issue_permit(tenant, actor(people["admin"]), issued.id)
        refused = submitted(tenant, citizen, "Besse Tenri", nik=OTHER_NIK)
        services.reject(tenant, actor(people["intake"]), refused.id, 0, "Tidak sesuai tata ruang")
        gone = submitted(tenant, citizen, "Daeng Sikki")
        withdrawal.withdraw(tenant, citizen, gone.id, "Batal")
        with tenant_scope(tenant):
            refs_ = {k: a.reference for k, a in
                     (("open", open_one), ("issued", issued), ("rejected", refused), ("withdrawn", gone))}
            number = issued.permit_number
        db.session.commit()
        assert refs(queries.queue(tenant)) == [refs_["open"]]                      # the open ones by default
        for status in ("issued", "rejected", "withdrawn"):
            assert refs(queries.queue(tenant, status=status)) == [refs_[status]]
        assert refs(queries.queue(tenant, q=number)) == [refs_["issued"]]
        assert refs(queries.queue(tenant, q=number.lower())) == [refs_["issued"]]
        assert refs(queries.queue(tenant, q=refs_["rejected"])) == [refs_["rejected"]]
    login(client, people["intake"], tenant)
    base = f"/t/{tenant.slug}/permits/queue"
    for status in ("issued", "rejected", "withdrawn"):
        page = client.get(base, query_string={"status": status})
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and refs_[status] in text and refs_["open"] not in text
        assert f'<option value="{status}" selected>' in text
    found = client.get(base, query_string={"q": number}).get_data(as_text=True)
    assert refs_["issued"] in found and refs_["open"] not in found
    assert client.get(base, query_string={"status": "lost"}).status_code == 400
