"""The whole workflow over HTTP: a citizen saves a draft, comes back, uploads and submits; three
officers act on their stages; the cashier records the payment; the signer issues; the public register
and the verification page show the permit. Bad input over HTTP: files of the wrong type by content or
too large, a bad NIK, acting out of turn or twice, a verification code that does not exist."""
from __future__ import annotations

import io
import re

from .conftest import NIK, jpeg, pdf


def form(**fields):
    base = {"name": "Andi Mappanyukki", "nik": NIK, "nib": "", "business_name": "CV Andi Jaya", "phone": "081234567890",
            "luas_m2": "", "alamat": ""}
    return {**base, **fields}


def files(**named):
    return {k: (io.BytesIO(v), f"{k}.bin") for k, v in named.items()}


def application_id(response) -> int:
    return int(re.search(r"/applications/(\d+)", response.headers["Location"])[1])


def act(client, base, aid, step, decision="approve", note=""):
    return client.post(f"{base}/applications/{aid}/act", data={"step": str(step), "decision": decision, "note": note})


def test_from_application_to_issued_permit_over_http(app, client, tenant, people, login, signer):
    base = f"/t/{tenant.slug}/permits"
    assert "Persetujuan Bangunan Gedung" in client.get(f"{base}/").get_data(as_text=True)
    standard = client.get(f"{base}/standard/PBG").get_data(as_text=True)
    assert "PP 16/2021" in standard and "Kajian teknis" in standard and "5" in standard
    login(client, people["citizen"], tenant)
    saved = client.post(f"{base}/apply/PBG", data=form(luas_m2="150", save="1"), content_type="multipart/form-data")
    assert saved.status_code == 302
    aid = application_id(saved)
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert "Scan KTP" in page and "Gambar rencana" in page  # still missing, by their labels
    back = client.get(f"{base}/applications/{aid}/edit").get_data(as_text=True)
    assert 'value="150"' in back  # the half-filled form comes back
    sent = client.post(f"{base}/applications/{aid}/edit", content_type="multipart/form-data",
                       data={**form(luas_m2="150", alamat="Jl. Ratulangi 5", send="1"),
                             **files(ktp=jpeg(), gambar=pdf())})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    client.get(f"/t/{tenant.slug}/logout")
    for step, who in enumerate(("intake", "pu", "admin")):
        login(client, people[who], tenant)
        if step == 0:
            queue = client.get(f"{base}/queue?stage=0").get_data(as_text=True)
            assert "REG/PBG/" in queue
            assert act(client, base, aid, 1).status_code == 302  # out of turn: refused, nothing changed
        assert act(client, base, aid, step).status_code == 302
        if step == 0:
            again = act(client, base, aid, step)  # twice
            assert again.status_code == 302
        client.get(f"/t/{tenant.slug}/logout")
    login(client, people["admin"], tenant)
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert "payment-code" in page and "1.500.000" in page
    assert client.post(f"{base}/applications/{aid}/issue", data={"send": "1"}).status_code == 302
    assert "permit-number" not in client.get(f"{base}/applications/{aid}").get_data(as_text=True)  # not before payment
    paid = client.post(f"{base}/applications/{aid}/pay", data={"amount": "1500000", "reference": "KAS-1"})
    assert paid.status_code == 302
    assert client.post(f"{base}/applications/{aid}/issue", data={"send": "1"}).status_code == 302
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    number = re.search(r'class="permit-number">([^\s<]+)', page)[1]
    assert number.startswith("PBG/0001/")
    verify = re.search(r'href="([^"]*/verify/[^"]+)"', page)[1]
    assert number in client.get(verify).get_data(as_text=True)
    register = client.get(f"{base}/register").get_data(as_text=True)
    assert number in register and "CV Andi Jaya" in register
    assert NIK not in register and "Andi Mappanyukki" not in register  # no personal data
    timeline = page[page.index("Timeline"):] if "Timeline" in page else page
    for code in ("09", "20", "45", "30", "33", "50"):
        assert f"OSS {code}" in timeline


def test_a_file_of_the_wrong_type_by_content_or_too_large_is_refused(client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    renamed = client.post(f"{base}/apply/PBG", content_type="multipart/form-data",
                          data={**form(luas_m2="10", save="1"), "gambar": (io.BytesIO(jpeg()), "plan.pdf")})
    assert renamed.status_code == 400 and "bukan jenis yang diterima di sini (PDF)" in renamed.get_data(as_text=True)
    big = pdf()[:-6] + b" " * (70 * 1024) + b"%%EOF\n"
    large = client.post(f"{base}/apply/PBG", content_type="multipart/form-data",
                        data={**form(save="1"), "gambar": (io.BytesIO(big), "plan.pdf")})
    assert large.status_code == 400 and "lebih besar dari 64 KB" in large.get_data(as_text=True)
    script = client.post(f"{base}/apply/PBG", content_type="multipart/form-data",
                         data={**form(save="1"), "ktp": (io.BytesIO(b"#!/bin/sh\necho hi\n"), "ktp.jpg")})
    assert script.status_code == 400
    bad_nik = client.post(f"{base}/apply/PBG", data=form(nik="12345", save="1"), content_type="multipart/form-data")
    assert bad_nik.status_code == 400 and 'id="nik-err"' in bad_nik.get_data(as_text=True)


def test_the_queue_needs_the_permission_and_unknown_pages_are_404(client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    assert client.get(f"{base}/queue").status_code == 403
    assert client.get(f"{base}/standard/NOPE").status_code == 404
    assert client.get(f"{base}/applications/999999").status_code == 404
    assert client.get(f"/t/{tenant.slug}/verify/no-such-code").status_code == 404


def test_the_figures_count_applications_median_days_and_share_within_the_service_level(
        app, client, tenant, people, actor, signer):
    from core.kit import db

    from .. import issuance, services
    from .test_services import APPLICANT

    with app.app_context():
        citizen = actor(people["citizen"])
        for _ in range(2):
            application = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung"})
            services.submit(tenant, citizen, application.id)
            services.approve_stage(tenant, actor(people["intake"]), application.id, 0)
            issuance.issue_permit(tenant, actor(people["admin"]), application.id)
        db.session.commit()
    page = client.get(f"/t/{tenant.slug}/permits/figures").get_data(as_text=True)
    assert "<svg" in page and "Surat Keterangan Usaha" in page
    assert '<td data-label="Permohonan">2</td><td data-label="Terbit">2</td>' in page and "100%" in page


def test_the_public_pages_and_the_form_read_in_english(client, tenant, people, login):
    """Issue 15 (Pages): Indonesian by default, English when the reader asks for it."""
    base, en = f"/t/{tenant.slug}/permits", {"Accept-Language": "en"}
    index = client.get(f"{base}/", headers=en).get_data(as_text=True)
    assert "Building approval" in index and "Persetujuan Bangunan Gedung" not in index
    standard = client.get(f"{base}/standard/PBG", headers=en).get_data(as_text=True)
    assert "Technical review" in standard and "Kajian teknis" not in standard
    assert "Register of permits" in client.get(f"{base}/register", headers=en).get_data(as_text=True)
    assert "Register of permits" not in client.get(f"{base}/register").get_data(as_text=True)
    login(client, people["citizen"], tenant)
    form_page = client.get(f"{base}/apply/PBG", headers=en).get_data(as_text=True)
    assert "Full name (as on the KTP)" in form_page and "Floor area" in form_page
    assert "Full name (as on the KTP)" not in client.get(f"{base}/apply/PBG").get_data(as_text=True)
