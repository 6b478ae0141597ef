"""``pamong remuneration ...``: imports, a run with its progress bar, closing; bad input is one line
naming the file, line and field, exit status 2, nothing written."""
from __future__ import annotations

from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.kit import db, tenant_scope

from ..models import Employee
from .helpers import MODULE, NIPS, SETTINGS, attendance_csv, employees_csv, three_employees


def pamong(app, *args):
    return CliRunner().invoke(cli, [MODULE, *args], obj=ScriptInfo(create_app=lambda: app))


def test_import_run_close_from_the_command_line(app, create_tenant, tmp_path):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    (tmp_path / "absen.csv").write_bytes(attendance_csv((NIPS[0], "2026-03-02T07:20:00+08:00", "in")))
    done = pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv"))
    assert done.exit_code == 0 and "3 added" in done.output
    done = pamong(app, "import-attendance", tenant.slug, str(tmp_path / "absen.csv"))
    assert done.exit_code == 0 and "1 added" in done.output
    # two of the three have no attendance in March: refused without --force, one line, nothing run
    refused = pamong(app, "run", tenant.slug, "2026-03")
    assert refused.exit_code == 2 and refused.output.strip().splitlines() == [
        "error: month: 2 of 3 employees have no attendance record and no leave or duty travel in March 2026. "
        "Add --force to run it anyway"], refused.output
    with app.app_context(), tenant_scope(tenant):
        from ..models import Run

        assert db.session.execute(db.select(Run)).first() is None
    done = pamong(app, "run", tenant.slug, "2026-03", "--force")
    assert done.exit_code == 0 and "March 2026: 3 employee(s), TPP Rp " in done.output, done.output
    assert "TPP March 2026" in done.stderr                                        # the progress bar's label
    with app.app_context(), tenant_scope(tenant):
        from ..models import Run

        paid = db.session.execute(db.select(Run.amount)).scalar_one()
    # English money by Babel (re-trial of issue 16: the CLI wrote Indonesian "Rp 27.506.200")
    assert f"TPP Rp {paid:,}" in done.output and "." not in done.output.split("TPP Rp ")[1]
    refused = pamong(app, "close", tenant.slug, "2026-03")
    assert refused.exit_code == 2 and "Add --force to close it anyway" in refused.output
    assert pamong(app, "close", tenant.slug, "2026-03", "--force").exit_code == 0
    again = pamong(app, "run", tenant.slug, "2026-03")
    assert again.exit_code == 2 and "March 2026 is closed" in again.output
    lines = [line for line in again.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), again.output  # no progress bar before it


def test_bad_input_is_one_line_and_exit_2(app, create_tenant, tmp_path):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    bad = tmp_path / "pegawai.csv"
    bad.write_bytes(employees_csv((NIPS[0], "Andi", "DLH", "JF-AHLI", ""), ("1234", "X", "DLH", "JF-AHLI", "")))
    done = pamong(app, "import-employees", tenant.slug, str(bad))
    assert done.exit_code == 2 and done.output.strip().count("\n") == 0
    assert f"{bad}: line 3: nip:" in done.output
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Employee)).first() is None
    assert pamong(app, "run", tenant.slug, "maret").exit_code == 2
    assert pamong(app, "run", "no-such-tenant", "2026-03").exit_code == 2
    assert "has not been run" in pamong(app, "close", tenant.slug, "2026-03").output


def test_activities_and_excuses_feed_the_run(app, create_tenant, tmp_path, audit_entries):
    from ..models import Result
    from ..services import get_run

    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    (tmp_path / "kinerja.csv").write_text("nip,day,minutes,points\n" + "".join(  # 6,000 minutes, at most 1,440 a day
        f"{NIPS[0]},2026-03-0{d},{m},\n" for d, m in ((2, 1440), (3, 1440), (4, 1440), (5, 1440), (6, 240))))
    (tmp_path / "cuti.csv").write_text(f"nip,kind,first_day,last_day,reference\n{NIPS[0]},leave,2026-03-01,2026-03-31,CT-1\n")
    assert pamong(app, "import-activities", tenant.slug, str(tmp_path / "kinerja.csv")).output.strip() == "5 added, 0 already stored"
    assert pamong(app, "import-excuses", tenant.slug, str(tmp_path / "cuti.csv")).output.strip() == "1 added"
    assert pamong(app, "run", tenant.slug, "2026-03", "--force").exit_code == 0
    with app.app_context(), tenant_scope(tenant):
        run = get_run(tenant, 2026, 3)
        tpps = sorted(db.session.execute(db.select(Result.tpp).where(Result.run_id == run.id)).scalars())
    assert tpps[-1] == 10_000_000        # 6,000 minutes and a month of leave: the whole ceiling
    assert len(audit_entries(tenant, "remuneration.activities.import")) == 1
    (tmp_path / "bad.csv").write_text(f"nip,kind,first_day,last_day\n{NIPS[0]},sick,2026-03-01,2026-03-02\n")
    bad = pamong(app, "import-excuses", tenant.slug, str(tmp_path / "bad.csv"))
    assert bad.exit_code == 2 and "line 2: kind" in bad.output
    (tmp_path / "bad.csv").write_text(f"nip,day,minutes\n{NIPS[0]},2026-03-02,-5\n")
    bad = pamong(app, "import-activities", tenant.slug, str(tmp_path / "bad.csv"))
    assert bad.exit_code == 2 and "line 2: minutes" in bad.output


def test_a_closed_month_is_corrected_from_the_command_line(app, create_tenant, tmp_path, audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    assert pamong(app, "run", tenant.slug, "2026-03", "--force").exit_code == 0
    refused = pamong(app, "adjust", tenant.slug, NIPS[0], "2026-03", "2026-05", "150000", "Dinas luar 2 Maret")
    assert refused.exit_code == 2 and refused.output.startswith("error:")      # March is still open: run it again
    assert pamong(app, "close", tenant.slug, "2026-03", "--force").exit_code == 0
    for args, words in ((("19850312", "2026-03", "2026-05", "1"), "nip"),
                        ((NIPS[0], "2026-03", "2026-05", "seratus"), "amount"),
                        ((NIPS[0], "2026-03", "2026-02", "100"), "later month")):
        bad = pamong(app, "adjust", tenant.slug, *args, "alasan")
        assert bad.exit_code == 2 and words in bad.output and len(bad.output.strip().splitlines()) == 1, bad.output
    done = pamong(app, "adjust", tenant.slug, NIPS[0], "2026-03", "2026-05", "150000", "Dinas luar 2 Maret")
    assert done.exit_code == 0 and "March 2026 corrected by Rp 150,000 in May 2026" in done.output, done.output
    back = pamong(app, "adjust", tenant.slug, NIPS[1], "2026-03", "2026-05", "-25000", "Lebih bayar")  # a negative AMOUNT
    assert back.exit_code == 0 and "March 2026 corrected by -Rp 25,000 in May 2026" in back.output, back.output
    assert [e["summary"]["after"]["amount"] for e in audit_entries(tenant, "remuneration.adjustment")] == [150000, -25000]
    assert pamong(app, "run", tenant.slug, "2026-05", "--force").exit_code == 0
    with app.app_context(), tenant_scope(tenant):
        from ..models import Result, Run

        lines = db.session.execute(db.select(Result.lines).join(Employee, Employee.id == Result.employee_id)
                                   .join(Run, Run.id == Result.run_id)
                                   .where(Employee.name == "Andi Baso", Run.month == 5)).scalar_one()
    assert {"code": "adjustment", "detail": "2026-03", "count": 1, "bp": 0, "amount": 150000} in lines


def test_every_import_refusal_is_one_english_line_naming_file_line_and_column(app, create_tenant, tmp_path):
    """The same bad files as the page's test (said there in the reader's language): here one line,
    ``error: FILE: line N: column: problem``, exit status 2."""
    from .test_pages import BAD_FILES

    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "")))
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    for kind, (data, _, in_english) in BAD_FILES.items():
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(data)
        command = "import-activities" if kind == "missing" else f"import-{kind}"
        done = pamong(app, command, tenant.slug, str(path))
        location, problem = in_english.split(": ", 1)   # "Line 2, column agency" on the page
        line, _, column = location.partition(", column ")
        location = f"{line.lower()}: {column}" if column else line.lower()
        lines = done.output.strip().splitlines()
        assert done.exit_code == 2 and len(lines) == 1 and lines[0].startswith(f"error: {path}"), (kind, done.output)
        assert lines[0] == f"error: {path}: {location}: {problem}", (kind, lines[0])  # the page's English words


def test_a_month_that_has_not_begun_is_not_run(app, create_tenant, tmp_path, frozen_clock):
    """Trial of 2 Dec 2026: `run makassar 2027-01` paid every employee the full ceiling (no working day
    had ended: no absence, the activity target prorated to nothing) and employees saw it as their TPP."""
    from datetime import datetime, timezone

    from ..models import Run

    frozen_clock.set(datetime(2026, 3, 31, 15, 59, tzinfo=timezone.utc))  # 31 March 23:59 WITA
    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    refused = pamong(app, "run", tenant.slug, "2026-04")
    assert refused.exit_code == 2 and "April 2026 has not begun yet" in refused.output, refused.output
    assert "TPP April 2026" not in refused.output                               # no progress bar before the error
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Run.id)).first() is None        # nothing written
    assert pamong(app, "run", tenant.slug, "2026-03", "--force").exit_code == 0        # the month under way is (provisional)
    frozen_clock.set(datetime(2026, 3, 31, 16, 0, tzinfo=timezone.utc))    # 1 April 00:00 WITA: April has begun
    assert pamong(app, "run", tenant.slug, "2026-04").exit_code == 0


def test_a_tenant_that_has_not_enabled_the_module_is_refused(app, create_tenant):
    """Trial of 2 Dec 2026: `run bandung 2026-12` stored an empty month (0 employees, Rp 0, exit 0)
    for a tenant whose TPP pages are 404."""
    from ..models import Run

    tenant = create_tenant()
    refused = pamong(app, "run", tenant.slug, "2026-03", "--force")
    assert refused.exit_code == 2 and "has not enabled the remuneration module" in refused.output, refused.output
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Run.id)).first() is None


def test_every_bad_line_of_an_input_file_is_said_one_line_each_and_nothing_written(app, create_tenant, tmp_path):
    """Re-trial of issue 16: only the first bad line of an excuse or sanction file was said. Every
    bad line now, one line each naming the file, line and field; exit 2; nothing written; no doubled
    punctuation ("here.; line 3") and English throughout, an Indonesian default locale notwithstanding."""
    from ..models import Excuse, Punch, Sanction

    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    files = {
        "import-excuses": ("cuti.csv", f"nip,kind,first_day,last_day\n{NIPS[0]},leave,2026-03-02,2026-03-03\n"
                                       f"123,leave,2026-03-02,2026-03-03\n{NIPS[1]},sick,2026-03-02,2026-03-03\n"
                                       f"{NIPS[2]},leave,2026-03-05,2026-03-04\n",
                           Excuse, ["line 3: nip", "line 4: kind", "line 5: last_day"]),
        "import-sanctions": ("hukdis.csv", f"nip,code,first_month,last_month\n{NIPS[0]},zz,2026-03,2026-03\n"
                                           f"{NIPS[1]},ringan,2026-13,2026-03\n{NIPS[2]},ringan,2026-03,2026-03\n",
                             Sanction, ["line 2: code", "line 3: first_month"]),
        "import-attendance": ("absen.csv", f"nip,timestamp,kind\n{NIPS[0]},2026-03-02T07:20:00+07:00,in\n"
                                           f"{NIPS[1]},2026-03-02T07:20:00+08:00,nap\n",
                              Punch, ["line 2: timestamp", "line 3: kind"]),
    }
    for command, (name, text, model, wheres) in files.items():
        (tmp_path / name).write_text(text)
        bad = pamong(app, command, tenant.slug, str(tmp_path / name))
        lines = bad.output.strip().splitlines()
        assert bad.exit_code == 2 and len(lines) == len(wheres), (command, bad.output)
        for line, where in zip(lines, wheres):
            assert line.startswith(f"error: {tmp_path / name}: {where}: "), (command, line)
        assert ".;" not in bad.output and ".." not in bad.output.replace(str(tmp_path), "")
        with app.app_context(), tenant_scope(tenant):
            assert db.session.execute(db.select(model)).first() is None, command
    # the employee file's problems too, one line each, and the service's joined message has no ".;"
    (tmp_path / "bad.csv").write_bytes(employees_csv(("123", "A", "XX", "JF-AHLI", ""), (NIPS[1], "", "DLH", "JF-AHLI", "")))
    bad = pamong(app, "import-employees", tenant.slug, str(tmp_path / "bad.csv"))
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 3 and ".;" not in bad.output
    from ..services import import_employees
    from core.kit import ValidationError
    import pytest

    with app.app_context(), pytest.raises(ValidationError) as exc:
        import_employees(tenant, "test", (tmp_path / "bad.csv").read_bytes())
    assert ".;" not in exc.value.message and exc.value.message.count("; ") == 2
    # a NIP refused by the core is said in English on the CLI, and a negative adjustment is taken
    wrong = pamong(app, "adjust", tenant.slug, "12345", "2026-03", "2026-04", "5", "x")
    assert wrong.exit_code == 2 and "NIP must have 18 digits" in wrong.output


def test_the_command_line_says_months_in_words_and_names_a_month_never_computed(app, create_tenant, tmp_path):
    """Trial of issue 16: the CLI said "2026-03: closed", and correcting a month never computed was
    told to "run an open month again" without naming it. One line, exit status 2, nothing written."""
    from ..models import Adjustment

    tenant = create_tenant(modules={MODULE: SETTINGS})
    (tmp_path / "pegawai.csv").write_bytes(three_employees())
    assert pamong(app, "import-employees", tenant.slug, str(tmp_path / "pegawai.csv")).exit_code == 0
    for args, said in ((("close", tenant.slug, "2026-01"), "error: month: January 2026 has not been run"),
                       (("close", tenant.slug, "2026-01", "--force"), "error: month: January 2026 has not been run"),
                       (("adjust", tenant.slug, NIPS[0], "2026-02", "2026-05", "Rp 100.000,-", "Dinas luar"),
                        "error: source: February 2026 has not been run")):
        refused = pamong(app, *args)
        assert refused.exit_code == 2 and refused.output.strip().splitlines() == [said], (args, refused.output)
    done = pamong(app, "run", tenant.slug, "2026-03", "--force")
    assert done.exit_code == 0 and done.output.strip().splitlines()[-1].startswith("March 2026: 3 employee(s), TPP Rp")
    refused = pamong(app, "adjust", tenant.slug, NIPS[0], "2026-03", "2026-05", "100000", "Dinas luar")
    assert refused.exit_code == 2 and refused.output.strip().splitlines() == [
        "error: source: March 2026 is open: only a closed month is corrected by an adjustment; run it again instead"]
    closed = pamong(app, "close", tenant.slug, "2026-03", "--force")
    assert closed.exit_code == 0 and closed.output.strip() == "March 2026: closed"
    assert "2026-03" not in done.output + done.stderr + closed.output
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Adjustment)).first() is None
