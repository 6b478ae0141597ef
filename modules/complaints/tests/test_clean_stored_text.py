"""Complaints stored before text was cleaned at intake (issue 9 item 2): the data migration
(4a7d2e9c5b18) cleans them, and Open311's XML of them is well-formed again."""
import importlib.util
from pathlib import Path
from xml.etree import ElementTree as ET

from sqlalchemy import text as sql

from core.kit import clean_stored_text
from core.migrate import owner_engine

from .hostile import parse_answer
from .test_portal import post_form

MIGRATION = next(Path(__file__).parents[1].joinpath("migrations", "versions").glob("*_4a7d2e9c5b18_*.py"))


def _migration():
    spec = importlib.util.spec_from_file_location("clean_stored_text_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_cleans_old_rows_and_the_xml_parses_again(app, client, tenant):
    number = post_form(client, tenant).headers["Location"].rsplit("/", 1)[1]
    o311 = f"/t/{tenant.slug}/open311/v2"
    engine = owner_engine(app)
    try:
        with engine.begin() as conn:  # as an old release stored it, past every intake
            if conn.dialect.name == "postgresql":
                conn.execute(sql("SELECT set_config('pamong.tenant_ids', :t, true)"), {"t": str(tenant.id)})
            conn.execute(sql("UPDATE complaints SET description = :d, address = :a WHERE number = :n"),
                         {"d": "Sampah \uffff menumpuk\x01 di Cafe\u0301", "a": "Jl. \ufffe Nuri", "n": number})
            conn.execute(sql("UPDATE complaint_events SET note = :d WHERE tenant_id = :t"),
                         {"d": "catatan \uffff", "t": tenant.id})
        broken = client.get(f"{o311}/requests/{number}.xml").get_data()
        try:
            ET.fromstring(broken)
            well_formed_before = True
        except ET.ParseError:
            well_formed_before = False
        assert not well_formed_before  # what issue 9 reported
        with engine.begin() as conn:
            assert set(_migration().TABLES) >= {"complaints", "complaint_events"}
            assert clean_stored_text(conn, _migration().TABLES) >= 2
    finally:
        engine.dispose()
    root = parse_answer(client.get(f"{o311}/requests/{number}.xml"))
    assert root.find("request/description").text == "Sampah  menumpuk di Café"
    assert root.find("request/address").text == "Jl.  Nuri"
    parse_answer(client.get(f"{o311}/requests.xml"))
    parse_answer(client.get(f"{o311}/servicerequestupdates.xml"))
