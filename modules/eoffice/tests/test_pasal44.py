"""The signature block as Permendagri 1/2023 Pasal 44 writes the signer (read from the signed PDF):
officials with gelar, pangkat/golongan and NIP (3); the Kepala Daerah, the Wakil and the Sekda
without any of them (3), as the acting holders of a Kepala Daerah (4) and the Pj./Plh. of a Sekda
(5); a keputusan (naskah dinas penetapan) names its signer without gelar (1). Which positions are
those three's: the module's ``*_position`` settings, checked where written."""
import pytest

from core.auth.official import set_official_identity
from core.kit import User, ValidationError, db, tenant_scope

from .. import signature
from .conftest import make_acting
from .helpers import signed
from .test_signer_identity import _text as _raw_text


def _text(tenant, letter) -> str:
    return " ".join(_raw_text(tenant, letter).split())  # a line the narrow block wraps reads as one

NIP = "196805171990031004"  # for the pure functions' tests only (the users table is shared: see _nip)


def _nip() -> str:
    """A well-formed NIP nobody else in the test session holds."""
    import uuid

    v = uuid.uuid4().int
    year, month, day, serial = 1960 + v % 40, 1 + (v >> 8) % 12, 1 + (v >> 16) % 28, 1 + (v >> 24) % 999
    return f"{year:04d}{month:02d}{day:02d}{year + 25:04d}03{1 + (v >> 40) % 2}{serial:03d}"


def _official(tenant, email, name="Andi Rahman"):
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
    user.name = name
    set_official_identity(user, _nip(), "Pembina Utama Muda (IV/c)", "test", tenant, titles=("Dr.", "S.T., M.Si."))
    db.session.commit()
    return user


def test_an_official_signs_with_gelar_rank_and_nip(scoped):
    tenant, people = scoped
    nip = _official(tenant, people.kadis).nip
    text = _text(tenant, signed(tenant, people))
    assert "Dr. Andi Rahman, S.T., M.Si." in text
    assert "Pembina Utama Muda (IV/c)" in text and f"NIP. {nip}" in text


def test_a_keputusan_names_its_signer_without_gelar_but_with_rank_and_nip(scoped):
    tenant, people = scoped
    nip = _official(tenant, people.kadis).nip
    text = _text(tenant, signed(tenant, people, letter_type="SK"))
    assert "Andi Rahman" in text and "Dr. Andi" not in text and "M.Si." not in text
    assert f"NIP. {nip}" in text and "Pembina Utama Muda (IV/c)" in text


@pytest.mark.parametrize("role", ["kepala_daerah_position", "wakil_kepala_daerah_position", "sekretaris_daerah_position"])
def test_the_kepala_daerah_wakil_and_sekda_sign_without_gelar_rank_and_nip(app, make_tenant, role):
    tenant, people = make_tenant({role: "KADIS-DLH"})  # the signing position named as that role's
    with app.app_context(), tenant_scope(tenant):
        _official(tenant, people.kadis)
        text = _text(tenant, signed(tenant, people))
        assert "Andi Rahman" in text and "Dr. Andi" not in text and "M.Si." not in text
        assert "NIP." not in text and "Pembina" not in text


def test_the_plt_of_a_kepala_daerah_signs_bare_and_the_plt_of_a_sekda_does_not(app, make_tenant):
    tenant, people = make_tenant({"kepala_daerah_position": "KADIS-DLH", "sekretaris_daerah_position": "KADIS-PU"})
    make_acting(app, tenant, "KADIS-DLH", people.kadis_pu)
    with app.app_context(), tenant_scope(tenant):
        _official(tenant, people.kadis_pu)
        from .helpers import verified
        from ..review import sign
        from .conftest import actor_of

        letter = sign(tenant, actor_of(tenant, people.kadis_pu), verified(tenant, people), 2)
        db.session.commit()
        text = _text(tenant, letter)
        assert "Plt. Kepala Dinas Lingkungan Hidup" in text
        assert "NIP." not in text and "Pembina" not in text and "Dr. Andi" not in text
    # Pasal 44(5) names the Pj. and Plh. of a Sekda, not a Plt.: an official like others (3)
    assert signature.bare(signature.SEKDA, "plt") is False
    assert signature.bare(signature.SEKDA, "plh") is True and signature.bare(signature.SEKDA, "pj") is True
    assert signature.bare(signature.WAKIL, "plt") is False and signature.bare(None, None) is False
    # (4) names the penjabat sementara of a Kepala Daerah; (5) no Pjs. of a Sekda
    assert signature.bare(signature.KEPALA_DAERAH, "pjs") is True and signature.bare(signature.SEKDA, "pjs") is False


def test_existing_names_without_separate_gelar_print_as_stored():
    official = {"name": "Ir. Budi, M.T.", "nip": NIP, "rank": "Penata (III/c)"}  # before gelar were apart
    assert signature.identity(official, layout="surat")["name"] == "Ir. Budi, M.T."
    assert signature.identity(official, layout="surat_keputusan") == {"name": "Ir. Budi, M.T.", "nip": NIP,
                                                                    "rank": "Penata (III/c)"}


def test_a_role_naming_an_unknown_position_or_one_position_twice_is_refused(make_tenant, app_ctx):
    tenant, _ = make_tenant()
    from core.kit import change_module_settings, module_settings

    before = dict(module_settings(tenant, "eoffice"))
    for bad, code in (({"sekretaris_daerah_position": "NOPE"}, "unknown_position"),
                      ({"kepala_daerah_position": "KADIS-DLH", "sekretaris_daerah_position": "KADIS-DLH"},
                       "same_position")):
        with pytest.raises(ValidationError) as refused:
            change_module_settings(tenant, "eoffice", bad, "test")
        assert refused.value.code == code
    assert module_settings(tenant, "eoffice") == before


@pytest.mark.parametrize("kind, abbr", [("plh", "Plh."), ("pj", "Pj."), ("pjs", "Pjs."), (True, "Plt.")])
def test_each_acting_kind_prints_its_abbreviation(app, make_tenant, kind, abbr):
    from datetime import timedelta

    from core.kit import assign_holder, find_position, local_date, utcnow
    from ..review import sign
    from .conftest import actor_of
    from .helpers import verified

    tenant, people = make_tenant()
    with app.app_context():
        assign_holder(tenant, find_position(tenant, "KADIS-DLH"), people.kadis_pu, "test", acting=kind,
                      start=local_date(tenant, utcnow()) - timedelta(days=1))
        db.session.commit()
    with app.app_context(), tenant_scope(tenant):
        letter = sign(tenant, actor_of(tenant, people.kadis_pu), verified(tenant, people), 2)
        db.session.commit()
        assert letter.signature[-1] == f"{abbr} Kepala Dinas Lingkungan Hidup,"
        assert f"{abbr} Kepala Dinas Lingkungan Hidup" in _text(tenant, letter)


def test_the_pj_of_a_kepala_daerah_and_the_plh_of_a_sekda_sign_bare(app, make_tenant):
    from datetime import timedelta

    from core.kit import assign_holder, find_position, local_date, utcnow

    tenant, people = make_tenant({"kepala_daerah_position": "KADIS-DLH"})
    with app.app_context():
        assign_holder(tenant, find_position(tenant, "KADIS-DLH"), people.kadis_pu, "test", acting="pj",
                      start=local_date(tenant, utcnow()) - timedelta(days=1))
        db.session.commit()
    with app.app_context(), tenant_scope(tenant):
        _official(tenant, people.kadis_pu)
        from ..review import sign
        from .conftest import actor_of
        from .helpers import verified

        letter = sign(tenant, actor_of(tenant, people.kadis_pu), verified(tenant, people), 2)
        db.session.commit()
        text = _text(tenant, letter)
        assert "Pj. Kepala Dinas Lingkungan Hidup" in text and "NIP." not in text and "Dr. Andi" not in text


def test_an_unknown_acting_kind_is_refused():
    with pytest.raises(ValidationError) as refused:
        from core.tenancy.positions import acting_kind
        acting_kind("pjx")
    assert refused.value.code == "bad_acting_kind"
    assert signature.acting_of(["Plh. Kepala Dinas,"]) == "plh" and signature.acting_of(["Kepala Dinas,"]) is None
    assert signature.acting_of(["Pjs. Wali Kota Makassar,"]) == "pjs" and signature.acting_of(["Pj. Wali Kota,"]) == "pj"
    assert signature.issuer(["Pjs. Wali Kota Makassar,"]) == "Wali Kota Makassar"


def test_a_signed_keputusan_is_titled_by_its_issuer_in_capitals_with_nomor_and_tentang(scoped):
    """Read from the PDF: KEPUTUSAN WALI KOTA MAKASSAR / NOMOR / TENTANG / subject / WALI KOTA
    MAKASSAR, / the skeleton from the type's template; no Yth. line (secondary sources, README)."""
    from ..settings import DEFAULT_TYPES

    tenant, people = scoped
    template = next(t["template"] for t in DEFAULT_TYPES if t["code"] == "SK")
    letter = signed(tenant, people, letter_type="SK", on_behalf="Wali Kota Makassar", body=template,
                    subject="Pembentukan Tim Kebersihan Kota")
    text = _text(tenant, letter)
    head = ["KEPUTUSAN WALI KOTA MAKASSAR", "NOMOR " + letter.number, "TENTANG", "PEMBENTUKAN TIM KEBERSIHAN KOTA",
            "WALI KOTA MAKASSAR,", "Menimbang", "Mengingat", "MEMUTUSKAN:", "Menetapkan", "KESATU",
            "Ditetapkan di", "a.n. Wali Kota Makassar", "Kepala Dinas Lingkungan Hidup,"]
    at = 0
    for part in head:
        found = text.find(part, at)
        assert found >= 0, (part, text[at:at + 300])
        at = found + len(part)
    assert "Yth." not in text and "SURAT KEPUTUSAN" not in text  # the draft names addressees (PU): no Yth.


def test_gelar_from_the_tenant_file_print_in_the_signed_letters_block(scoped):
    """``[[accounts.people]]`` with ``title_front`` / ``title_back`` (core/tenancy/schema.py), as
    ``tenant apply`` applies them: the signed PDF's block prints the titled name."""
    from core.tenancy.schema import parse_tenant
    from core.tenancy.service import apply_people

    tenant, people = scoped
    user = db.session.execute(db.select(User).where(User.email == people.kadis)).scalar_one()
    user.name = "Andi Rahman"
    doc = parse_tenant({"slug": tenant.slug, "name": tenant.name, "kind": "city", "timezone": "Asia/Makassar",
                        "accounts": {"people": [{"email": people.kadis, "rank": "Pembina (IV/a)",
                                                 "title_front": "Ir.", "title_back": "M.T."}]}}, "t.toml")
    assert apply_people(tenant, doc, "test") == 1
    db.session.commit()
    text = _text(tenant, signed(tenant, people))
    assert "Ir. Andi Rahman, M.T." in text and "Pembina (IV/a)" in text
