"""Drafting, the review chain and numbering at signing (issue 14.2-14.3), on SQLite and PostgreSQL."""
import pytest

from core.kit import ApprovalError, ValidationError, db, local_date, tenant_scope

from ..access import get_letter
from ..drafting import submit
from ..queries import timeline
from ..review import return_letter, sign, verify
from .conftest import actor_of, make_acting
from .helpers import drafted, signed, submitted, verified


def test_a_letter_goes_through_paraf_to_a_numbered_signature(scoped, audit_entries):
    tenant, people = scoped
    letter = signed(tenant, people)
    year = local_date(tenant).year
    assert letter.number == "000.8.3.3/1/DLH" and letter.serial == 1 and letter.year == year
    assert letter.status == "signed" and letter.document_code
    assert letter.signature == ["Kepala Dinas Lingkungan Hidup,"]
    actions = [e["action"] for e in audit_entries(tenant) if e["action"].startswith("eoffice.")]
    assert actions == ["eoffice.letter.draft", "eoffice.letter.submit", "eoffice.letter.verify",
                       "eoffice.letter.verify", "eoffice.letter.number", "eoffice.dossier.open", "eoffice.letter.file",
                       "eoffice.letter.sign"]
    story = [row["action"] for row in timeline(tenant, letter)]
    assert story == ["drafted", "submitted", "paraf", "paraf", "numbered", "signed"]


def test_a_returned_draft_burns_no_number(scoped):
    tenant, people = scoped
    returned = submitted(tenant, people)
    verify(tenant, actor_of(tenant, people.kabid), returned, 0)
    return_letter(tenant, actor_of(tenant, people.sekdis), returned, 1, "Perbaiki paragraf kedua")
    db.session.commit()
    letter = get_letter(tenant, returned)
    assert letter.status == "draft" and letter.revision == 2 and letter.number is None
    second = signed(tenant, people, subject="Surat kedua")
    assert second.number == "000.8.3.3/1/DLH"  # the returned one took none
    submit(tenant, actor_of(tenant, people.drafter), returned)  # a new chain for revision 2
    db.session.commit()
    for n, who in enumerate((people.kabid, people.sekdis)):
        verify(tenant, actor_of(tenant, who), returned, n)
    assert sign(tenant, actor_of(tenant, people.kadis), returned, 2).number == "000.8.3.3/2/DLH"
    db.session.commit()
    assert "returned" in [row["action"] for row in timeline(tenant, get_letter(tenant, returned))]


def test_return_to_an_earlier_verifier_needs_a_note(scoped):
    tenant, people = scoped
    letter_id = submitted(tenant, people)
    verify(tenant, actor_of(tenant, people.kabid), letter_id, 0)
    with pytest.raises(ValidationError):
        return_letter(tenant, actor_of(tenant, people.sekdis), letter_id, 1, "  ", to_step=0)
    return_letter(tenant, actor_of(tenant, people.sekdis), letter_id, 1, "Cek data", to_step=0)
    db.session.commit()
    assert get_letter(tenant, letter_id).status == "review"


@pytest.mark.parametrize("who, step, code", [
    ("sekdis", 1, "approval_out_of_turn"),   # the first verifier has not given their paraf
    ("kadis", 2, "approval_out_of_turn"),    # the signer before the verifiers
    ("outsider", 0, "approval_not_holder"),  # someone not holding the position
])
def test_acting_out_of_turn_is_refused_and_changes_nothing(scoped, who, step, code):
    tenant, people = scoped
    letter_id = submitted(tenant, people)
    act = sign if step == 2 else verify
    with pytest.raises(ApprovalError) as error:
        act(tenant, actor_of(tenant, getattr(people, who)), letter_id, step)
    assert error.value.code == code
    db.session.rollback()
    assert get_letter(tenant, letter_id).number is None


def test_signing_twice_is_refused_and_takes_no_second_number(scoped):
    tenant, people = scoped
    letter = signed(tenant, people)
    with pytest.raises(ApprovalError) as error:
        sign(tenant, actor_of(tenant, people.kadis), letter.id, 2)
    assert error.value.code == "already_signed"
    db.session.rollback()
    assert signed(tenant, people, subject="Berikutnya").number == "000.8.3.3/2/DLH"


def test_a_verifier_cannot_sign_and_the_signer_step_is_not_a_paraf(scoped):
    tenant, people = scoped
    letter_id = verified(tenant, people)
    with pytest.raises(ValidationError) as error:
        verify(tenant, actor_of(tenant, people.kadis), letter_id, 2)
    assert error.value.code == "sign_step"
    with pytest.raises(ValidationError) as error:
        sign(tenant, actor_of(tenant, people.kadis), letter_id, 1)
    assert error.value.code == "not_sign_step"


def test_numbers_are_per_unit_and_classification(scoped):
    tenant, people = scoped
    assert signed(tenant, people).number == "000.8.3.3/1/DLH"
    assert signed(tenant, people, classification="800.1.11").number == "800.1.11/1/DLH"
    assert signed(tenant, people).number == "000.8.3.3/2/DLH"


def test_a_tenant_may_count_serials_per_unit_across_classifications(make_tenant, app_ctx):
    tenant, people = make_tenant({"number_scope": "unit"})
    with tenant_scope(tenant):
        assert signed(tenant, people).number == "000.8.3.3/1/DLH"
        assert signed(tenant, people, classification="800.1.11").number == "800.1.11/2/DLH"


def test_the_serials_scope_does_not_change_once_a_letter_is_numbered_this_year(make_tenant, app_ctx):
    """Counted another way mid-year, serials would start again at 1 and repeat numbers given."""
    from core.kit import Actor, ValidationError, change_module_settings

    tenant, people = make_tenant()
    admin = Actor.system("test", tenant)
    change_module_settings(tenant, "eoffice", {"number_scope": "unit"}, admin)  # nothing numbered yet: allowed
    change_module_settings(tenant, "eoffice", {"number_scope": "classification"}, admin)
    db.session.commit()
    with tenant_scope(tenant):
        signed(tenant, people)
    with pytest.raises(ValidationError) as error:
        change_module_settings(tenant, "eoffice", {"number_scope": "unit"}, admin)
    assert error.value.code == "number_scope_in_use"
    db.session.rollback()


def test_the_tenants_pattern_writes_the_number(make_tenant, app_ctx):
    tenant, people = make_tenant({"number_pattern": "{classification}/{serial:03}/{unit}/{year}"})
    with tenant_scope(tenant):
        assert signed(tenant, people).number == f"000.8.3.3/001/DLH/{local_date(tenant).year}"


def test_an_acting_head_signs_as_plt_and_a_n_u_b_are_written(app, make_tenant, app_ctx):
    tenant, people = make_tenant()
    make_acting(app, tenant, "KADIS-DLH", people.sekdis)
    with tenant_scope(tenant):
        letter_id = submitted(tenant, people, verifiers=["KABID-DLH"], on_behalf="Wali Kota Makassar",
                              via="Sekretaris Daerah")
        verify(tenant, actor_of(tenant, people.kabid), letter_id, 0)
        letter = sign(tenant, actor_of(tenant, people.sekdis), letter_id, 1)
        db.session.commit()
        assert letter.signature == ["a.n. Wali Kota Makassar", "Sekretaris Daerah", "u.b.",
                                    "Plt. Kepala Dinas Lingkungan Hidup,"]
