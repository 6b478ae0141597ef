"""The serving order of a poli's day: whom *call next* calls, in which order. One source of truth:
``queue.call_next`` takes the first row of ``call_order``, the board's *Next* its first rows,
``queue.recompute`` ranks the estimates by it, and the patients ahead of a booking (status page, SMS,
BPJS ``sisaantrean``) are its place in it (``ranked``: the same ``ORDER BY`` as a window), and the
poli's remaining count (BPJS ``status``'s ``sisaantrean``, the board's and the desk's *Remaining*)
is its length (``CALLABLE``).

The order: those who checked in (``waiting``) by number, then those booked from afar and not yet
arrived by number. A skipped patient has no place in it (called by hand when back at the desk); a
patient called, served, finished, absent or cancelled has none either: nobody is ahead of them.

Who is *called now* (the board's *Called*, BPJS ``antreanpanggil``): the visits the desk called and
that are still at that step or with the practitioner (``NOW_CALLED``: called, serving), the one
called last first (``called_now``). A number called and then skipped, marked absent or cancelled is
not called now, nor is one finished: when nobody is called or served, there is none (BPJS: ``-``).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select

from .models import BOOKED, CALLED, SERVING, WAITING, Visit

CALLABLE = (BOOKED, WAITING)  # those *call next* will call
NOW_CALLED = (CALLED, SERVING)  # called and not yet finished, skipped or absent


def in_order(clinic: str, poli: str, day: date) -> tuple:
    """The where clauses of the visits that have a place in the order."""
    return (Visit.clinic == clinic, Visit.poli == poli, Visit.day == day, Visit.status.in_(CALLABLE))


def serving_order() -> tuple:
    """The ``ORDER BY`` of the order: checked in first, then by number (unique per poli and day)."""
    return case((Visit.status == WAITING, 0), else_=1), Visit.serial


def call_order(clinic: str, poli: str, day: date):
    """The visits *call next* will call, in its order (a select of ``Visit``)."""
    return select(Visit).where(*in_order(clinic, poli, day)).order_by(*serving_order())


def ranked(clinic: str, poli: str, day: date):
    """A subquery over the order: ``id``, ``ahead`` (how many come before it in ``call_order``, 0 for
    the one called next) and ``first`` (the earliest stored estimate of the order, for
    ``estimates.not_before``)."""
    return select(
        Visit.id,
        (func.row_number().over(order_by=serving_order()) - 1).label("ahead"),
        func.min(Visit.estimated_at).over().label("first"),
    ).where(*in_order(clinic, poli, day)).subquery("ranked")


def called_now(clinic: str, poli: str, day: date):
    """The visits called now (``NOW_CALLED``), the one called last first (by number between two
    called at the same instant): a select of ``Visit``."""
    return select(Visit).where(Visit.clinic == clinic, Visit.poli == poli, Visit.day == day,
                               Visit.status.in_(NOW_CALLED)).order_by(Visit.called_at.desc(), Visit.serial.desc())
