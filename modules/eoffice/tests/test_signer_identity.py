"""The signature block of a signed letter (issue 14, Permendagri 1/2023): under the signer's name
their pangkat/golongan and "NIP. <18 digits>" when the core holds them (core.kit.official_identity),
no such lines when not."""
import pypdfium2 as pdfium

from core.auth.official import set_official_identity
from core.kit import User, db

from .helpers import signed
from .test_signed_pdf import signed_pdf

NIP = "196805171990031004"  # born 1968-05-17, appointed March 1990, a man, serial 004


def _text(tenant, letter) -> str:
    pdf = pdfium.PdfDocument(signed_pdf(tenant, letter))
    return " ".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))


def test_the_block_shows_rank_and_nip_only_when_the_signer_has_them(scoped):
    tenant, people = scoped
    before = _text(tenant, signed(tenant, people))
    assert "NIP." not in before and "Pembina" not in before
    kadis = db.session.execute(db.select(User).where(User.email == people.kadis)).scalar_one()
    set_official_identity(kadis, NIP, "Pembina Utama Muda (IV/c)", "test", tenant)
    db.session.commit()
    after = _text(tenant, signed(tenant, people))
    assert "Pembina Utama Muda (IV/c)" in after and f"NIP. {NIP}" in after
    assert after.index(kadis.name or kadis.email) < after.index("Pembina Utama Muda") < after.index(f"NIP. {NIP}")
