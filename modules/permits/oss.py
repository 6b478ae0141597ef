"""The OSS-RBA vocabulary of an application's state, in one place: ``code_of(application)`` the code
of its state now, the timeline carries the code of every step, and a report in OSS's terms is one
query (``report``).

Source: the OSS-RBA integration documentation of the Ministry of Investment/BKPM (the ``kd_status``
a regional or sector system sends with ``receiveLicenseStatus``), "Lampiran 10 - Data Kode Status
Izin" (published at oss-rba.github.io, ``src/footer.md`` of github.com/oss-rba/oss-rba.github.io).
The codes used here, with that table's names:

=====  =================================  =============================================================
code   OSS name                           here
=====  =================================  =============================================================
09     Telah Melengkapi Persyaratan       the applicant submitted a complete application (``submit``)
20     Validasi                           in the office's stages (``submitted``)
41     Konfirmasi Persyaratan             SLA stopped: waiting on the applicant (``returned``, pause)
42     Data Konfirmasi Persyaratan        SLA runs again (resubmitted after a pause)
43     Re-Konfirmasi Persyaratan          SLA stopped and set back to the start (``returned``, reset)
44     Data Re-Konfirmasi Persyaratan     SLA runs again from zero (resubmitted after a reset)
45     Persyaratan terverifikasi          every stage approved (free type: ``approved``, to be signed)
30     Verifikasi Pembayaran              retribution invoiced, not yet paid (``awaiting_payment``)
33     Persetujuan Pembayaran             retribution paid and accepted (``approved`` after payment)
50     Disetujui                          the permit issued (``issued``)
57     Disetujui secara otomatis (fiktif  issued because the service level lapsed, UU 11/2020
       positif)                           art. 175 point 6 (UU 6/2023), PP 28/2025
70     Penghentian Sementara Kegiatan     the permit suspended (``permit_status`` suspended)
       Berusaha
90     Ditolak                            refused (``rejected``)
=====  =================================  =============================================================

``report(tenant, date_from, date_to, permit_type=None)`` is the report in that vocabulary: per permit
type and OSS code, how many applications submitted in the period hold that code now, in one SQL
statement (see its docstring for why the code is read from the timeline, not from the status).

The clock codes 41-44 are the core's (``core.kit.sla.OSS_CODES``) and agree with that table.
OSS's licence-status table has **no code for revocation** (pencabutan; its NIB table, Lampiran 14,
has "06 Dicabut" for a business identity number, not for a licence), so a revoked permit has no OSS
code here (``REVOKED_CODE`` is empty) and is reported by its ``permit_status``. PP 5/2021 was
replaced by PP 28/2025 (in force 5 June 2025), which keeps the service level and fiktif positif;
a deployment that reports to OSS confirms the table against the version of the integration it is
given before sending, and changes codes here only.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func

from core.kit import db, sla, tenant_scope

from .models import (
    APPROVED, AWAITING_PAYMENT, DRAFT, ISSUED, REJECTED, RETURNED, REVOKED, SUBMITTED, SUSPENDED, Application, Event,
)

OSS_STATUS = {
    DRAFT: "",
    SUBMITTED: "20",
    RETURNED: "41",
    AWAITING_PAYMENT: "30",
    APPROVED: "45",
    ISSUED: "50",
    REJECTED: "90",
}
SUBMITTED_CODE = "09"          # Telah Melengkapi Persyaratan
VERIFIED_CODE = "45"           # Persyaratan terverifikasi: every stage approved
PAID_CODE = "33"               # Persetujuan Pembayaran
FIKTIF_POSITIF = "57"          # Disetujui secara otomatis (fiktif positif)
SUSPENDED_CODE = "70"          # Penghentian Sementara Kegiatan Berusaha
REVOKED_CODE = ""              # none in OSS's licence-status table (see above)
CLOCK = {name: str(code) for name, code in sla.OSS_CODES.items()}  # pause 41, resume 42, reset 43, restart 44


def code_of(application) -> str:
    """The OSS code of the application now, the one rule the page, the API and ``report`` share: the
    ``oss_code`` of its latest timeline ``Event`` that records a state (not ``NOT_A_STATUS``), the
    code OSS was last told (09 just filed, 42/44 completed after a 41/43, which the status cannot
    tell from 20); ``state_code`` for an application with no such line (rows written in bulk)."""
    latest = (db.select(Event.oss_code)
              .where(Event.application_id == application.id, Event.action.not_in(NOT_A_STATUS))
              .order_by(Event.id.desc()).limit(1))
    with tenant_scope(application.tenant_id):
        stored = db.session.execute(latest).scalar_one_or_none()
    return state_code(application) if stored is None else stored


def state_code(application) -> str:
    """The OSS code a new timeline line records for the application's state, from its status: the
    permit's suspension first (70; a revoked permit has none), then fiktif positif (57), a paid
    approval (33), else by status (``services.log`` stores it; read it back with ``code_of``)."""
    if application.permit_status == REVOKED:
        return REVOKED_CODE
    if application.permit_status == SUSPENDED:
        return SUSPENDED_CODE
    if application.status == ISSUED and application.fiktif_positif:
        return FIKTIF_POSITIF
    if application.status == APPROVED and application.paid_at is not None:
        return PAID_CODE
    return OSS_STATUS.get(application.status, "")


# OSS's own names of its codes (Lampiran 10), as OSS writes them: the report's vocabulary, not
# translated (the pages add a meaning in the reader's language beside them)
OSS_LABELS = {
    "09": "Telah Melengkapi Persyaratan",
    "20": "Validasi",
    "30": "Verifikasi Pembayaran",
    "33": "Persetujuan Pembayaran",
    "41": "Konfirmasi Persyaratan",
    "42": "Data Konfirmasi Persyaratan",
    "43": "Re-Konfirmasi Persyaratan",
    "44": "Data Re-Konfirmasi Persyaratan",
    "45": "Persyaratan terverifikasi",
    "50": "Disetujui",
    "57": "Disetujui secara otomatis (fiktif positif)",
    "70": "Penghentian Sementara Kegiatan Berusaha",
    "90": "Ditolak",
}
# timeline lines that tell someone of a state without changing it: their code is not a new status
NOT_A_STATUS = ("escalate", "expiry_reminder", "fiktif_positif")  # lines that tell no state of their own


def period_bounds(tenant, date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The tenant-local days ``date_from`` .. ``date_to`` (both included) as UTC instants
    ``[start, end)``: midnight of the first day and of the day after the last, in the tenant's zone."""
    zone = ZoneInfo(tenant.timezone)
    start = datetime.combine(date_from, time(0), zone).astimezone(timezone.utc)
    end = datetime.combine(date_to + timedelta(days=1), time(0), zone).astimezone(timezone.utc)
    return start, end


def _code_order(code: str) -> tuple[int, str]:
    return (0, code) if code else (1, "")   # OSS's codes in their order, the applications without one last


def report(tenant, date_from: date, date_to: date, permit_type: str | None = None) -> list[dict]:
    """The report in OSS-RBA's vocabulary: the applications **submitted** on the tenant-local days
    ``date_from`` .. ``date_to`` (both included; drafts never submitted are not applications OSS
    knows), of ``permit_type`` or every type, counted per type and the OSS code each holds **now**.
    Rows ``{"type_code", "oss_code", "oss_label", "count"}``, by type then code; ``oss_code`` ``""``
    (label ``""``) for the applications OSS's table has no code for (withdrawn, or a permit revoked).

    One SQL statement. The source of the code is the timeline, not the status: each application's
    latest ``Event`` (by id) that records a status (``NOT_A_STATUS`` lines, an escalation or an
    expiry reminder, only repeat it) carries the ``oss_code`` that was set when that state was
    reached (``services.log``): the code the office reported last, which is what OSS holds for the
    application. A CASE over ``Application.status`` (``code_of``) cannot say it: ``returned`` is
    41 (paused) or 43 (stopped and reset, the service level to run again from zero), ``submitted``
    is 09 (just filed), 42 or 44 (completed by the applicant after a 41 or a 43) or 20 (in the
    stages), and those differ in OSS and in the service level owed."""
    start, end = period_bounds(tenant, date_from, date_to)
    latest = (db.select(func.max(Event.id))
              .where(Event.tenant_id == Application.tenant_id, Event.application_id == Application.id,
                     Event.action.not_in(NOT_A_STATUS))
              .correlate(Application).scalar_subquery())
    query = (db.select(Application.type_code, Event.oss_code, func.count())
             .join(Event, (Event.tenant_id == Application.tenant_id) & (Event.application_id == Application.id))
             .where(Event.id == latest, Application.submitted_at >= start, Application.submitted_at < end)
             .group_by(Application.type_code, Event.oss_code))
    if permit_type:
        query = query.where(Application.type_code == permit_type)
    with tenant_scope(tenant):
        found = db.session.execute(query).all()
    rows = [{"type_code": type_code, "oss_code": code or "", "oss_label": OSS_LABELS.get(code or "", ""),
             "count": int(count)} for type_code, code, count in found]
    return sorted(rows, key=lambda r: (r["type_code"], _code_order(r["oss_code"])))
