"""The OSS-RBA vocabulary of an application's state, in one place, so a report in OSS's terms is one
query (``code_of(application)``) and the timeline carries the code of every step.

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

The clock codes 41-44 are the core's (``core.kit.sla.OSS_CODES``) and agree with that table.
OSS's licence-status table has **no code for revocation** (pencabutan; its NIB table, Lampiran 14,
has "06 Dicabut" for a business identity number, not for a licence), so a revoked permit has no OSS
code here (``REVOKED_CODE`` is empty) and is reported by its ``permit_status``. PP 5/2021 was
replaced by PP 28/2025 (in force 5 June 2025), which keeps the service level and fiktif positif;
a deployment that reports to OSS confirms the table against the version of the integration it is
given before sending, and changes codes here only.
"""
from __future__ import annotations

from core.kit import sla

from .models import APPROVED, AWAITING_PAYMENT, DRAFT, ISSUED, REJECTED, RETURNED, REVOKED, SUBMITTED, SUSPENDED

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
    """The OSS code of the application's state now: the permit's suspension first (70; a revoked
    permit has none), then fiktif positif (57), a paid approval (33), else by status."""
    if application.permit_status == REVOKED:
        return REVOKED_CODE
    if application.permit_status == SUSPENDED:
        return SUSPENDED_CODE
    if application.status == ISSUED and application.fiktif_positif:
        return FIKTIF_POSITIF
    if application.status == APPROVED and application.paid_at is not None:
        return PAID_CODE
    return OSS_STATUS.get(application.status, "")
