"""The emblem on the kop per kop kind (regional guides for Permendagri 1/2023: the national emblem
on the Kepala Daerah's own letters, the regional one on the agencies'): ``kop_emblem_kepala_daerah``
and ``kop_emblem_agency``, a PNG or SVG under the static folder, checked where written
(``bad_emblem`` naming the key); empty, the tenant's logo. The pictures here are plain squares of
one colour: the kit ships no emblem and draws none."""
import pytest
from PIL import Image

from core.kit import ValidationError, db, tenant_scope

from ..drafting import Draft, save_draft, submit
from ..review import sign
from .conftest import actor_of
from .test_signed_pdf import signed_pdf

RED, BLUE, GREEN = (200, 30, 30), (30, 30, 200), (30, 160, 30)


@pytest.fixture
def static(app, tmp_path, monkeypatch):
    folder = tmp_path / "static"
    (folder / "lambang").mkdir(parents=True)
    Image.new("RGB", (60, 60), RED).save(folder / "lambang" / "logo.png")      # the tenant's logo
    Image.new("RGB", (60, 60), BLUE).save(folder / "lambang" / "negara.png")   # stands for the national emblem
    Image.new("RGB", (60, 60), GREEN).save(folder / "lambang" / "foto.jpg")
    (folder / "lambang" / "daerah.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60"><rect width="60" height="60" fill="#1ea01e"/></svg>')
    (tmp_path / "outside.png").write_bytes((folder / "lambang" / "logo.png").read_bytes())
    monkeypatch.setattr(app, "static_folder", str(folder))
    return folder


def _colours(data: bytes) -> set[tuple]:
    """The centre colour of each picture on the first page (the QR code's is black or white)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    page = pdfium.PdfDocument(data)[0]
    found = set()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        image = obj.get_bitmap().to_pil().convert("RGB")
        found.add(image.getpixel((image.width // 2, image.height // 2)))
    return found


def _signed_by(tenant, people, drafter, signer_email, signer_code):
    letter = save_draft(tenant, actor_of(tenant, drafter), Draft(
        letter_type="SB", classification="000.8.3.3", subject="Edaran kebersihan", body="<p>Dengan hormat.</p>",
        unit="DLH", to_units=["PU"], signer=signer_code))
    db.session.commit()
    submit(tenant, actor_of(tenant, drafter), letter.id)
    db.session.commit()
    return sign(tenant, actor_of(tenant, signer_email), letter.id, 0)


def test_a_bad_emblem_is_refused_naming_its_key_and_nothing_changes(app, app_ctx, static, make_tenant):
    from core.kit import change_module_settings, module_settings

    tenant, _ = make_tenant()
    before = dict(module_settings(tenant, "eoffice"))
    for key in ("kop_emblem_kepala_daerah", "kop_emblem_agency"):
        for bad, why in (("lambang/garuda.png", "there is no file"), ("lambang/foto.jpg", "PNG, SVG"),
                         ("../outside.png", "not a file under the static folder"), ("lambang", "there is no file")):
            with pytest.raises(ValidationError) as refused:
                change_module_settings(tenant, "eoffice", {key: bad}, "test")
            assert refused.value.code == "bad_emblem" and refused.value.where == f"modules.eoffice.settings.{key}"
            # the one line the CLI prints: the key, then why
            assert str(refused.value).startswith(f"modules.eoffice.settings.{key}: ") and why in str(refused.value)
    assert module_settings(tenant, "eoffice") == before
    change_module_settings(tenant, "eoffice", {"kop_emblem_kepala_daerah": "lambang/negara.png",
                                               "kop_emblem_agency": "/static/lambang/daerah.svg"}, "test")
    assert module_settings(tenant, "eoffice")["kop_emblem_agency"] == "/static/lambang/daerah.svg"


def test_the_heads_own_letters_carry_the_set_emblem_and_the_others_the_logo(app, static, make_tenant):
    from core.kit import change_module_settings

    tenant, people = make_tenant({"kepala_daerah_position": "KADIS-PU"}, branding={"logo": "lambang/logo.png"})
    with app.app_context(), tenant_scope(tenant):
        # nothing set: every kop has the tenant's logo
        head = _signed_by(tenant, people, people.drafter, people.kadis_pu, "KADIS-PU")
        assert RED in _colours(signed_pdf(tenant, head))
        change_module_settings(tenant, "eoffice", {"kepala_daerah_position": "KADIS-PU",
                                                   "kop_emblem_kepala_daerah": "lambang/negara.png"}, "test")
        db.session.commit()
        head = _signed_by(tenant, people, people.drafter, people.kadis_pu, "KADIS-PU")
        agency = _signed_by(tenant, people, people.drafter, people.kadis, "KADIS-DLH")
        head_colours, agency_colours = _colours(signed_pdf(tenant, head)), _colours(signed_pdf(tenant, agency))
    assert BLUE in head_colours and RED not in head_colours        # the head's kop: the emblem set for it
    assert RED in agency_colours and BLUE not in agency_colours    # an agency's: the logo (no agency emblem set)


def test_an_svg_emblem_is_drawn_on_the_agencies_kop(app, static, make_tenant):
    import pypdfium2 as pdfium

    from core.kit import change_module_settings

    tenant, people = make_tenant(branding={"logo": "lambang/logo.png"})
    with app.app_context(), tenant_scope(tenant):
        change_module_settings(tenant, "eoffice", {"kop_emblem_agency": "lambang/daerah.svg"}, "test")
        db.session.commit()
        letter = _signed_by(tenant, people, people.drafter, people.kadis, "KADIS-DLH")
        data = signed_pdf(tenant, letter)
    assert RED not in _colours(data)  # the logo gave way to the agencies' emblem, an SVG drawn as vectors
    page = pdfium.PdfDocument(data)[0].render(scale=1).to_pil().convert("RGB")
    assert any(page.getpixel((x, y)) == GREEN for x in range(0, 200, 2) for y in range(0, 150, 2))
