"""The tests' SQL statement counter (``core.testing.sql_statements``): what it records, what it
leaves out, and that it stops recording when the block ends."""
from sqlalchemy import text

from core.extensions import db
from core.testing import sql_statements


def test_it_records_the_statements_sent_in_the_block_only(app):
    with app.app_context():
        with sql_statements(app) as seen:
            db.session.execute(text("SELECT 1"))
            db.session.execute(text("SELECT 2"))
        db.session.execute(text("SELECT 3"))  # after the block: not recorded
        db.session.rollback()
    assert seen.count == 2 and [s.strip() for s in seen] == ["SELECT 1", "SELECT 2"]


def test_without_an_app_it_uses_the_current_one_and_leaves_out_what_it_is_told(app):
    with app.app_context():
        with sql_statements(ignore=("savepoint", "release")) as seen:
            with db.session.begin_nested():
                db.session.execute(text("SELECT 1"))
        db.session.rollback()
    assert [s.strip() for s in seen] == ["SELECT 1"] and seen.count == 1
