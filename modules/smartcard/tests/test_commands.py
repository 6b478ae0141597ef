"""``pamong smartcard ...``: one line and exit 2 on bad input, nothing written."""
from core.kit import db

from .. import services
from ..commands import smartcard_group
from .helpers import CARD, CARD2, NIK, SETTINGS


def test_issue_replace_and_close_from_the_command_line(app, create_tenant):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    runner = app.test_cli_runner()
    ok = runner.invoke(smartcard_group, ["issue", tenant.slug, CARD, "--name", "Andi", "--nik", NIK])
    assert ok.exit_code == 0 and "issued" in ok.output
    bad = runner.invoke(smartcard_group, ["issue", tenant.slug, "123", "--name", "Andi"])
    assert bad.exit_code == 2 and "card" in bad.output and len(bad.output.strip().splitlines()) == 1
    bad_nik = runner.invoke(smartcard_group, ["issue", tenant.slug, CARD2, "--name", "Andi", "--nik", "1234"])
    assert bad_nik.exit_code == 2
    assert runner.invoke(smartcard_group, ["issue", "no-such-tenant", CARD2]).exit_code == 2
    assert runner.invoke(smartcard_group, ["replace", tenant.slug, CARD, CARD2]).exit_code == 0
    closed = runner.invoke(smartcard_group, ["close", tenant.slug, CARD2, "pindah"])
    assert closed.exit_code == 0 and "closed" in closed.output
    with app.app_context():
        db.session.rollback()
        assert services.find_card(tenant, CARD).status == "replaced"
    terminal = runner.invoke(smartcard_group, ["terminal", tenant.slug, "T1", "nope", "tok"])
    assert terminal.exit_code == 2 and "merchant" in terminal.output


def test_link_from_the_command_line(app, create_tenant):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    runner = app.test_cli_runner()
    assert runner.invoke(smartcard_group, ["issue", tenant.slug, CARD]).exit_code == 0
    for args in (["--name", "Andi"], ["--name", "Andi", "--nik", NIK, "--nip", "198503302010011002"],
                 ["--name", "Andi", "--nik", "1234"], ["--name", "", "--nik", NIK]):
        bad = runner.invoke(smartcard_group, ["link", tenant.slug, CARD, *args])
        assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1, (args, bad.output)
    with app.app_context():
        db.session.rollback()
        assert services.find_card(tenant, CARD).holder_id is None
    ok = runner.invoke(smartcard_group, ["link", tenant.slug, CARD, "--name", "Andi", "--nik", NIK])
    assert ok.exit_code == 0 and "linked" in ok.output
    with app.app_context():
        db.session.rollback()
        card = services.find_card(tenant, CARD)
        assert services.holder_of(tenant, card).registered
