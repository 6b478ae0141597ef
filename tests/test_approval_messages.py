"""Approval refusals in the reader's language (t14 defect 1): every refusal keeps its English message
(the CLI, the logs) and carries ``local``, the same refusal in the page's language from the core's
catalogue; and the timeline names each actor by their name, else their e-mail (t14 defect 3).
Both databases."""
from datetime import date

import pytest
from flask_babel import force_locale

from core import approvals
from core.extensions import db

from .test_approvals import DAY, _approve, _refused, _start, org, scoped  # noqa: F401  (fixtures)


def _both(app, error) -> tuple[str, str, str]:
    """The refusal's English message, and its ``local`` read on an Indonesian and an English page."""
    assert error.local is not None, f"no local message for {error.code}: {error.message}"
    with app.test_request_context():
        with force_locale("id"):
            indonesian = str(error.local)
        with force_locale("en"):
            english = str(error.local)
    return error.message, indonesian, english


def test_out_of_turn_twice_not_holder_and_no_such_step_are_said_in_indonesian(app, app_ctx, scoped):
    org = scoped
    oid = _start(org, [{"position": "SEK"}, {"position": "KADIS", "label": "Tanda tangan"}])
    call = lambda who, step: lambda: approvals.approve(org.tenant, "eoffice", "letter", oid, org.user(who),  # noqa: E731
                                                       step=step, day=DAY)

    message, said_id, said_en = _both(app, _refused(org.tenant, oid, approvals.OutOfTurn, call("kadis", 1),
                                                    "approval_out_of_turn"))
    assert message == "step 1 is not awaiting action; step 0 (Sekretaris) is"  # the log's line is unchanged
    assert said_id == "Langkah “Tanda tangan” tidak sedang menunggu tindakan: langkah yang menunggu tindakan adalah “Sekretaris”."
    assert said_en == "The step “Tanda tangan” is not awaiting action now: the step awaiting action is “Sekretaris”."

    message, said_id, said_en = _both(app, _refused(org.tenant, oid, approvals.OutOfTurn, call("sek", 99),
                                                    "approval_out_of_turn"))
    assert message == "there is no step 99 (steps 0 to 1)"
    assert said_id == "Rangkaian persetujuan ini tidak mempunyai langkah tersebut: jumlah langkahnya 2."
    assert said_en == "This approval chain has no such step: it has 2 steps."

    message, said_id, said_en = _both(app, _refused(org.tenant, oid, approvals.NotHolder, call("pu", 0),
                                                    "approval_not_holder"))
    assert message == f"you do not hold 'Sekretaris' on {DAY.isoformat()}"
    assert said_id == "Anda tidak memegang jabatan “Sekretaris” pada 15 November 2026."
    assert said_en == "You do not hold the position “Sekretaris” on 15 November 2026."

    _approve(org, oid, "sek", 0)
    message, said_id, said_en = _both(app, _refused(org.tenant, oid, approvals.AlreadyActed, call("sek", 1),
                                                    "approval_twice"))
    assert message == "you already approved step 0 (Sekretaris); one person acts once on a chain"
    assert said_id == ("Anda sudah menyetujui langkah “Sekretaris” pada rangkaian ini: satu orang bertindak sekali "
                       "dalam satu rangkaian persetujuan.")
    assert "one person acts once" in said_en


def test_closed_chains_say_whether_approved_or_rejected(app, app_ctx, scoped):
    org = scoped
    done = _start(org, [{"position": "SEK"}])
    _approve(org, done, "sek", 0)
    error = _refused(org.tenant, done, approvals.ChainClosed, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", done, org.user("kadis"), step=0, day=DAY), "approval_closed")
    assert _both(app, error)[1] == ("Rangkaian persetujuan ini sudah selesai: tidak ada lagi yang dapat disetujui, "
                                    "dikembalikan, atau ditolak.")

    refused = _start(org, [{"position": "SEK"}, {"position": "KADIS"}])
    approvals.reject(org.tenant, "eoffice", "letter", refused, org.user("sek"), step=0, note="Bukan kewenangan kami",
                     day=DAY)
    db.session.commit()
    error = _refused(org.tenant, refused, approvals.ChainClosed, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", refused, org.user("kadis"), step=1, day=DAY), "approval_closed")
    message, said_id, _en = _both(app, error)
    assert "rejected" in message
    assert said_id.startswith("Rangkaian persetujuan ini berakhir dengan penolakan")


def test_user_and_role_steps_say_who_acts(app, app_ctx, scoped):
    org = scoped
    sek = org.user("sek").email
    oid = _start(org, [{"user": sek}, {"role": "officer", "unit": "PU"}])
    error = _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("kadis"), step=0, day=DAY), "approval_not_holder")
    assert _both(app, error)[1] == f"Langkah ini hanya untuk {sek}."
    _approve(org, oid, "sek", 0)
    error = _refused(org.tenant, oid, approvals.NotHolder, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("auditor"), step=1, day=date(2026, 11, 16)),
        "approval_not_holder")
    assert _both(app, error)[1] == "Langkah ini untuk pemegang peran “officer PU”; Anda tidak memilikinya."


def test_the_timeline_names_the_person_else_the_email(app_ctx, scoped):
    org = scoped
    sek = org.user("sek")
    sek.name = "Siti Aminah"
    org.user("staff").name = ""
    db.session.commit()
    oid = _start(org, [{"position": "SEK"}, {"position": "KADIS"}])
    _approve(org, oid, "sek", 0)
    timeline = approvals.history(org.tenant, "eoffice", "letter", oid)
    assert [(t["actor"], t["actor_name"], t["actor_id"]) for t in timeline] == [
        (org.user("staff").email, org.user("staff").email, org.user("staff").id),  # no name: the e-mail
        (sek.email, "Siti Aminah", sek.id),                                        # the audit keeps the e-mail
    ]


@pytest.mark.parametrize("step", [True, "0", None, -1])
def test_a_step_that_is_not_an_index_is_no_step(app, app_ctx, scoped, step):
    org = scoped
    oid = _start(org, [{"position": "SEK"}])
    error = _refused(org.tenant, oid, approvals.OutOfTurn, lambda: approvals.approve(
        org.tenant, "eoffice", "letter", oid, org.user("sek"), step=step, day=DAY), "approval_out_of_turn")
    assert _both(app, error)[1].startswith("Rangkaian persetujuan ini tidak mempunyai langkah tersebut")
