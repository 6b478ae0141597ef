"""SLA clocks (issue 12 item 2): start, pause (OSS-RBA 41), resume (42), stop and reset (43), restart
from zero (44) and finish, in working days of the tenant's calendar, calendar days or clock hours,
every segment kept. ``clock.py`` holds the arithmetic (pure, no database), ``store.py`` the clocks
kept in ``sla_segments``. Modules reach it as ``core.kit.sla``::

    from core.kit import sla
"""
from .clock import (
    DAYS, DONE, HOURS, NEW, OSS_CODES, PAUSED, RUNNING, STOPPED, TRANSITIONS, UNITS, WORKING_DAYS, Clock, ClockError,
    Segment, check, deadline, moved, waited,
)
from .store import Transition, audited, clock_of, clocks_of, finish, pause, reset, restart, resume, start

__all__ = [
    "Clock", "ClockError", "DAYS", "DONE", "HOURS", "NEW", "OSS_CODES", "PAUSED", "RUNNING", "STOPPED", "Segment",
    "TRANSITIONS", "Transition", "UNITS", "WORKING_DAYS", "audited", "check", "clock_of", "clocks_of", "deadline",
    "finish", "moved", "pause", "reset", "restart", "resume", "start", "waited",
]
