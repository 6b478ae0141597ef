"""``pamong remuneration ...``: import employees and attendance, run a month (with a progress bar),
close a month. Bad input: one line ``error: FILE: line N: field: problem`` and exit status 2, with
nothing written (a file's every bad line, one line each, ``refusals.all_at_once``); a month asked
about that was never computed is named in its error ("January 2026 has not been run"). Months are
said in words ("March 2026", ``labels.month_words``), never "2026-03". Every command
speaks English, its money included (Babel's English digits: "Rp 1,234,567"), whatever the deployment's
default language (``in_english``)."""
from __future__ import annotations

import functools
import sys
from contextlib import ExitStack
from pathlib import Path

import click
from flask.cli import with_appcontext

from core.kit import Actor, PamongError, Tenant, cli_fail as _fail, cli_tenant, db, rupiah

from . import services
from .labels import month_words


def in_english(command):
    """``with_appcontext``, and the command run in English: the CLI's lines (and the errors and money
    it writes) are English, as every ``pamong`` command's, not the default locale's (Indonesian)."""
    @with_appcontext
    @functools.wraps(command)
    def run(*args, **kwargs):
        from flask_babel import force_locale

        with force_locale("en"):
            return command(*args, **kwargs)
    return run


@click.group("remuneration", help="TPP (remuneration): imports, monthly runs, closing.")
def remuneration_group():
    pass


def _tenant(slug: str) -> Tenant:
    """The tenant, or one line and exit 2: no such tenant, or one that has not enabled the module
    (a run would store an empty month for it)."""
    return cli_tenant(slug, "remuneration")


def _month(value: str) -> tuple[int, int]:
    """``YYYY-MM`` (2000-2100, ``services.month_of``), else one line echoing the value as given and exit 2."""
    found = services.month_of(value)
    if found is None:
        _fail(f"month: {value[:40]} is not a month (YYYY-MM, from 2000 to 2100)")
    return found


def _refuse_missing(tenant, year: int, month: int, force: bool, verb: str) -> None:
    """One line and exit 2 when employees of the month have no data (``missing.py``), unless ``--force``."""
    from .missing import warning, without_data

    try:
        found = services.get_run(tenant, year, month)
        if (found is not None and found.status == "closed") or (
                verb == "close" and (found is None or not services.month_ended(tenant, year, month))):
            return  # refused for what it is ("closed", "not run", "not ended"), by the service
        missing, total = without_data(tenant, year, month)
    except PamongError as exc:
        _fail(str(exc))
    if missing and not force:
        _fail(f"month: {warning(missing, total, month_words(year, month))} Add --force to {verb} it anyway")


def _import(slug: str, path: str, work) -> dict:
    tenant = _tenant(slug)
    actor = Actor.system("remuneration-cli", tenant)
    try:
        counts = work(tenant, actor, Path(path).read_bytes(), Path(path).name)
    except PamongError as exc:
        problems = getattr(exc, "problems", None) or [exc]
        more = getattr(exc, "more", 0)
        for problem in problems[:-1] if not more else problems:  # every bad line, one line each
            click.echo(f"error: {path}: {problem}", err=True)
        _fail(f"{path}: ({more} more problems not listed)" if more else f"{path}: {problems[-1]}")
    db.session.commit()
    return counts


@remuneration_group.command("import-employees", help="Add or update employees from a CSV or XLSX file "
                                                     "(nip,name,agency,position_class[,email,supervisor_email,position,start,end]; "
                                                     "start/end: first and last day of employment, YYYY-MM-DD).")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@in_english
def import_employees(slug, path):
    counts = _import(slug, path, services.import_employees)
    click.echo(f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged")


@remuneration_group.command("import-attendance", help="Add attendance records from a CSV file (nip,timestamp,kind).")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@in_english
def import_attendance(slug, path):
    counts = _import(slug, path, services.import_attendance)
    click.echo(f"{counts['added']} added, {counts['skipped']} already stored")


@remuneration_group.command("import-activities", help="Add activity logs approved in the source system (e-Kinerja) "
                                                      "from a CSV file (nip,day,minutes,points).")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@in_english
def import_activities(slug, path):
    from .inputs import import_activities as work

    counts = _import(slug, path, work)
    click.echo(f"{counts['added']} added, {counts['skipped']} already stored")


@remuneration_group.command("import-excuses",
                            help="Add approved leave and duty travel from a CSV file (nip,kind,first_day,last_day,reference).")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@in_english
def import_excuses(slug, path):
    from .inputs import import_excuses as work

    click.echo(f"{_import(slug, path, work)['added']} added")


@remuneration_group.command("import-sanctions",
                            help="Add disciplinary sanctions from a CSV file (nip,code,first_month,last_month).")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@in_english
def import_sanctions(slug, path):
    from .inputs import import_sanctions as work

    click.echo(f"{_import(slug, path, work)['added']} added")


@remuneration_group.command("run", help="Compute (or compute again) a month's TPP: pamong remuneration run SLUG 2026-03.")
@click.argument("slug")
@click.argument("month")
@click.option("--force", is_flag=True, help="Run it even when employees have no attendance data in the month.")
@in_english
def run(slug, month, force):
    tenant = _tenant(slug)
    year, number = _month(month)
    _refuse_missing(tenant, year, number, force, "run")
    with ExitStack() as stack:
        bars = []  # the bar starts with the first employee: a refused run prints its one error line only

        def progress(done, total):
            if not bars:
                bars.append(stack.enter_context(click.progressbar(
                    length=max(total, 1), label=f"TPP {month_words(year, number)}", file=sys.stderr)))
            bars[0].update(done - bars[0].pos)
        try:
            result = services.run_month(tenant, Actor.system("remuneration-cli", tenant), year, number, progress)
        except PamongError as exc:
            stack.close()
            _fail(str(exc))
    total, amount = result.total, rupiah(result.amount)  # Babel's English digits: "Rp 27,506,200"
    db.session.commit()
    click.echo(f"{month_words(year, number)}: {total} employee(s), TPP {amount}")


@remuneration_group.command("adjust", context_settings={"ignore_unknown_options": True},  # AMOUNT may be -150000
                            help="Correct a closed month by AMOUNT rupiah (negative: recovered), paid in a "
                                           "later open month: pamong remuneration adjust SLUG NIP 2026-03 2026-05 -150000 'reason'.")
@click.argument("slug")
@click.argument("nip")
@click.argument("source")
@click.argument("target")
@click.argument("amount")
@click.argument("reason")
@in_english
def adjust(slug, nip, source, target, amount, reason):
    from core.kit import IdentityError, identity_lookup, tenant_scope

    from .models import Employee

    tenant = _tenant(slug)
    from core.kit import ValidationError

    from .amounts import parse_rupiah

    try:
        value = parse_rupiah(amount)
    except ValidationError as exc:
        _fail(f"amount: {exc.message}")
    try:
        digest = identity_lookup("nip", nip)
    except IdentityError as exc:
        _fail(f"nip: {exc.message}")
    with tenant_scope(tenant):
        employee_id = db.session.execute(db.select(Employee.id).where(Employee.nip_hash == digest)).scalar()
    if employee_id is None:
        _fail(f"nip: no employee with NIP {nip}")
    months = _month(source), _month(target)
    try:
        services.add_adjustment(tenant, Actor.system("remuneration-cli", tenant), employee_id, *months, value, reason)
    except PamongError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"{month_words(*months[0])} corrected by {rupiah(value)} in {month_words(*months[1])}")


@remuneration_group.command("close", help="Close a computed month for payment (it can no longer be run).")
@click.argument("slug")
@click.argument("month")
@click.option("--force", is_flag=True, help="Close it even when employees have no attendance data in the month.")
@in_english
def close(slug, month, force):
    tenant = _tenant(slug)
    year, number = _month(month)
    _refuse_missing(tenant, year, number, force, "close")
    try:
        services.close_month(tenant, Actor.system("remuneration-cli", tenant), year, number)
    except PamongError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"{month_words(year, number)}: closed")
