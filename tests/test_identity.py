"""Identity numbers (core/identity.py, core/identity_column.py): every rule's error, round trips,
the encrypted column with its keyed hash, the mask."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Mapped, mapped_column

from core import migrate
from core.extensions import db
from core.identity_column import IdentityNumber, identity_hash, identity_lookup
from core.tenancy.scope import TenantOwned, tenant_scope

from core.identity import (
    PROVINCES, IdentityError, mask_identity, normalise, normalise_bpjs, normalise_nib, normalise_nik, normalise_npwp,
    parse_nik, parse_nip,
)

TODAY = date(2026, 11, 30)


def nik_of(province="73", regency="71", district="01", born=date(1990, 1, 1), woman=False, serial="0001"):
    day = born.day + (40 if woman else 0)
    return f"{province}{regency}{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"


def test_a_nik_says_who():
    nik = parse_nik("7371014101900001", today=TODAY)
    assert (nik.province, nik.regency, nik.district) == ("73", "7371", "737101")
    assert (nik.sex, nik.birth_date, nik.serial) == ("F", date(1990, 1, 1), "0001")
    assert parse_nik("73.7101-0101 900001", today=TODAY).sex == "M"  # punctuation and spaces ignored
    assert parse_nik(nik_of(born=date(2005, 6, 15)), today=TODAY).birth_date == date(2005, 6, 15)
    assert parse_nik(nik_of(province="96"), today=TODAY).province == "96"  # Papua Barat Daya (UU 29/2022)


@pytest.mark.parametrize("value, code, says", [
    ("737101410190001", "length", "16 digits, not 15"),
    ("73710141019000011", "length", "not 17"),
    ("7371O14101900001", "not_digits", "only digits"),
    ("", "length", "not 0"),
    ("٧٣٧١٠١٤١٠١٩٠٠٠٠١", "not_digits", "only digits"),  # Arabic-Indic digits are not NIK digits
    (nik_of(province="99"), "province", "province code 99"),
    (nik_of(province="20"), "province", "province code 20"),
    (nik_of(province="97"), "province", "province code 97"),
    (nik_of(regency="00"), "region", "code 00"),
    (nik_of(district="00"), "region", "code 00"),
    ("7371013102900001", "birth_date", "31-02-1990"),  # 31 February
    ("7371017102900001", "birth_date", "31-02-1990"),  # 31 February, a woman (71 = 31 + 40)
    ("7371013204900001", "birth_date", "does not exist"),  # 32 April
    ("7371010113900001", "birth_date", "does not exist"),  # month 13
    ("7371010000900001", "birth_date", "does not exist"),  # day 00
    (nik_of(serial="0000"), "serial", "0000"),
])
def test_every_nik_rule_has_its_error(value, code, says):
    with pytest.raises(IdentityError) as bad:
        parse_nik(value, today=TODAY)
    assert bad.value.code == code and bad.value.where == "nik"
    assert says in str(bad.value.message), bad.value.message


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(IdentityError) as bad:
        parse_nik(nik_of(born=date(2026, 12, 1)), today=TODAY)  # 2026: not yet born on TODAY
    assert bad.value.code == "birth_date" and tomorrow.year == 2026


@given(st.sampled_from(sorted(PROVINCES)), st.integers(1, 99), st.integers(1, 99),
       st.dates(min_value=date(1927, 1, 1), max_value=TODAY), st.booleans(), st.integers(1, 9999))
def test_nik_round_trip(province, regency, district, born, woman, serial):
    value = nik_of(province, f"{regency:02d}", f"{district:02d}", born, woman, f"{serial:04d}")
    nik = parse_nik(value, today=TODAY)
    assert (nik.number, nik.sex, nik.birth_date) == (value, "F" if woman else "M", born)
    spaced = " ".join(value[i:i + 4] for i in range(0, 16, 4))
    assert parse_nik(spaced, today=TODAY).number == value


def test_a_nip_says_who():
    nip = parse_nip("19850312 201001 2 003")
    assert (nip.birth_date, nip.appointed, nip.sex, nip.serial) == (date(1985, 3, 12), (2010, 1), "F", "003")


@pytest.mark.parametrize("value, code, says", [
    ("19850312201001200", "length", "18 digits, not 17"),
    ("19850231201001200X", "not_digits", "only digits"),
    ("198502312010012003", "birth_date", "31-02-1985"),
    ("198503122010132003", "appointment", "appointment"),
    ("198503121980012003", "appointment", "appointment"),  # appointed before birth
    ("198503122010013003", "sex", "sex digit 3"),
    ("198503122010011000", "serial", "000"),
])
def test_every_nip_rule_has_its_error(value, code, says):
    with pytest.raises(IdentityError) as bad:
        parse_nip(value)
    assert bad.value.code == code and says in str(bad.value.message), bad.value.message


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)), st.integers(18, 40), st.integers(1, 12),
       st.sampled_from("12"), st.integers(1, 999))
def test_nip_round_trip(born, age, month, sex, serial):
    value = f"{born:%Y%m%d}{born.year + age:04d}{month:02d}{sex}{serial:03d}"
    nip = parse_nip(value)
    assert (nip.number, nip.birth_date, nip.appointed) == (value, born, (born.year + age, month))
    assert nip.sex == ("M" if sex == "1" else "F")


@pytest.mark.parametrize("fn, good, bad_length", [
    (normalise_nib, "1234567890123", "123456789012"),
    (normalise_bpjs, "0001234567890", "00012345678901"),
])
def test_thirteen_digit_numbers(fn, good, bad_length):
    assert fn(good) == good and fn(" ".join([good[:4], good[4:]])) == good
    with pytest.raises(IdentityError) as bad:
        fn(bad_length)
    assert bad.value.code == "length" and "13 digits" in str(bad.value.message)
    with pytest.raises(IdentityError) as bad:
        fn(good[:-1] + "x")
    assert bad.value.code == "not_digits"


def test_npwp_is_normalised_to_sixteen_digits():
    assert normalise_npwp("01.312.166.0-091.000") == "0013121660091000"  # PMK 112/2022: a 0 in front
    assert normalise_npwp("0013121660091000") == "0013121660091000"
    assert normalise_npwp("7371014101900001") == "7371014101900001"  # a NIK is an NPWP
    for value, code in [("01.312.166.1-091.000", "check_digit"), ("1234567890", "length"),
                        ("9971014101900001", "province"), ("01.312.166.0-091.00A", "not_digits")]:
        with pytest.raises(IdentityError) as bad:
            normalise_npwp(value)
        assert bad.value.code == code and bad.value.where == "npwp", value


def test_mask():
    assert mask_identity("7371014101900001") == "7371**********01"
    assert mask_identity("7371014101900001", reveal=True) == "7371014101900001"
    assert mask_identity(None) == "" and mask_identity("12345") == "*****"
    with pytest.raises(ValueError):
        normalise("passport", "A123")


class Resident(TenantOwned, db.Model):
    """A throwaway table, created and dropped by the test that uses it."""

    __tablename__ = "test_identity_residents"
    nik: Mapped[str | None] = mapped_column(IdentityNumber("nik"))
    nik_hash: Mapped[str] = identity_hash("nik")


def test_the_column_stores_it_encrypted_with_a_hash_for_lookup(app_ctx, create_tenant):
    tenant = create_tenant()
    owner = migrate.owner_engine(app_ctx)
    try:
        serial = "INTEGER PRIMARY KEY" if db.engine.dialect.name == "sqlite" else "SERIAL"
        key = "" if db.engine.dialect.name == "sqlite" else ", PRIMARY KEY (tenant_id, id)"
        with owner.begin() as conn:  # a throwaway table for this test only, under the RLS policies
            conn.execute(text(f"CREATE TABLE test_identity_residents (id {serial}, tenant_id INTEGER NOT NULL, "
                              f"nik TEXT, nik_hash VARCHAR(64) NOT NULL{key})"))
            if conn.dialect.name == "postgresql":
                migrate.set_up_roles(app_ctx, conn)
        with tenant_scope(tenant):
            resident = Resident(nik="7371 0141 0190 0001")
            assert resident.nik == "7371014101900001"  # normalised when set
            assert resident.nik_hash == identity_lookup("nik", "73.7101.4101.900001")
            with pytest.raises(IdentityError):
                resident.nik = "737101410190001"  # 15 digits: refused where it is set
            db.session.add(resident)
            db.session.commit()
            stored = db.session.execute(text("SELECT nik, nik_hash FROM test_identity_residents")).one()
            assert "7371014101900001" not in stored.nik and stored.nik_hash == resident.nik_hash
            found = db.session.execute(db.select(Resident).where(
                Resident.nik_hash == identity_lookup("nik", "7371014101900001"))).scalar_one()
            assert found.nik == "7371014101900001"
            found.nik = None
            db.session.flush()
            assert found.nik_hash == ""
            db.session.rollback()
    finally:
        db.session.rollback()
        with owner.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS test_identity_residents"))
        owner.dispose()
