"""The clinic module's tables: patients (NIK / BPJS number encrypted, with keyed hashes), their
medical record number per clinic, visits (a booking that becomes a queue ticket) and encounters
(the practitioner's record, encrypted at rest).

Clinics, polis, schedules and practitioners are the tenant's settings (``settings.py``); rows name
them by code. Times are UTC; a visit's ``day`` is the clinic's local date (the tenant's zone).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.kit import EncryptedText, IdentityNumber, TenantOwned, db, identity_hash, tenant_ref, utcnow

# visit statuses (BPJS Antrean task ids in brackets)
BOOKED, WAITING, CALLED, SERVING, DONE = "booked", "waiting", "called", "serving", "done"
SKIPPED, ABSENT, CANCELLED = "skipped", "absent", "cancelled"
STATUSES = (BOOKED, WAITING, CALLED, SERVING, DONE, SKIPPED, ABSENT, CANCELLED)
IN_QUEUE = (BOOKED, WAITING, SKIPPED)  # still to be called


class Patient(TenantOwned, db.Model):
    """A person registered at the tenant's clinics, found by NIK or BPJS card number (keyed hashes)."""

    __tablename__ = "clinic_patients"
    __table_args__ = (Index("ix_clinic_patients_tenant_nik", "tenant_id", "nik_hash"),
                      Index("ix_clinic_patients_tenant_bpjs", "tenant_id", "bpjs_hash"),
                      # one patient per BPJS card number in a tenant ("" is no card: not unique)
                      Index("uq_clinic_patients_tenant_bpjs", "tenant_id", "bpjs_hash", unique=True,
                            postgresql_where=text("bpjs_hash <> ''"), sqlite_where=text("bpjs_hash <> ''")))

    nik: Mapped[str | None] = mapped_column(IdentityNumber("nik"), nullable=True)
    nik_hash: Mapped[str] = identity_hash("nik")
    bpjs: Mapped[str | None] = mapped_column(IdentityNumber("bpjs"), nullable=True)
    bpjs_hash: Mapped[str] = identity_hash("bpjs")
    name: Mapped[str] = mapped_column(EncryptedText, default="")
    phone: Mapped[str] = mapped_column(EncryptedText, default="")
    # SATUSEHAT's id of this person (``P02478375538``), found by NIK when a bundle is sent (``satusehat_ids``)
    ihs_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MedicalRecord(TenantOwned, db.Model):
    """The patient's medical record number (nomor rekam medis) at one clinic, gap-free per clinic."""

    __tablename__ = "clinic_records"
    __table_args__ = (UniqueConstraint("tenant_id", "clinic", "patient_id", name="uq_clinic_records_patient"),
                      UniqueConstraint("tenant_id", "clinic", "number", name="uq_clinic_records_number"))

    patient_id: Mapped[int] = tenant_ref("clinic_patients", ondelete="CASCADE")
    clinic: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Visit(TenantOwned, db.Model):
    """One booking at a poli on a local day and its queue ticket (``A-012``): who, when they were
    expected (``estimated_at``) and the task times (registered, arrived, called, served, finished)."""

    __tablename__ = "clinic_visits"
    __table_args__ = (
        UniqueConstraint("tenant_id", "clinic", "poli", "day", "serial", name="uq_clinic_visits_serial"),
        # one live booking per patient, poli and day: active_patient is NULL once cancelled
        UniqueConstraint("tenant_id", "clinic", "poli", "day", "active_patient", name="uq_clinic_visits_patient"),
        UniqueConstraint("tenant_id", "booking_code", name="uq_clinic_visits_booking_code"),
        Index("ix_clinic_visits_tenant_day", "tenant_id", "clinic", "day", "poli", "status"),
    )

    patient_id: Mapped[int] = tenant_ref("clinic_patients", ondelete="CASCADE")
    active_patient: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clinic: Mapped[str] = mapped_column(String(20))
    poli: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    session: Mapped[int] = mapped_column(Integer, default=0)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(30))
    booking_code: Mapped[str] = mapped_column(String(20))
    jkn: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default=BOOKED)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    practitioner: Mapped[str] = mapped_column(String(20), default="")
    estimated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    served_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # keyed hash of the phone (E.164) that made the booking ("" when none): a repeat by SMS from
    # another phone is not told the booking code
    contact_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class Encounter(TenantOwned, db.Model):
    """What the practitioner recorded at a visit; every clinical field encrypted at rest."""

    __tablename__ = "clinic_encounters"
    __table_args__ = (UniqueConstraint("tenant_id", "visit_id", name="uq_clinic_encounters_visit"),
                      Index("ix_clinic_encounters_tenant_patient", "tenant_id", "patient_id", "clinic"))

    visit_id: Mapped[int] = tenant_ref("clinic_visits", ondelete="CASCADE")
    patient_id: Mapped[int] = tenant_ref("clinic_patients", ondelete="CASCADE")
    clinic: Mapped[str] = mapped_column(String(20))
    practitioner: Mapped[str] = mapped_column(String(20))
    complaint: Mapped[str] = mapped_column(EncryptedText, default="")
    vitals: Mapped[str] = mapped_column(EncryptedText, default="{}")  # JSON: {"systolic": 120, ...}
    icd10: Mapped[str] = mapped_column(EncryptedText, default="")
    diagnosis: Mapped[str] = mapped_column(EncryptedText, default="")
    prescription: Mapped[str] = mapped_column(EncryptedText, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EncounterRevision(TenantOwned, db.Model):
    """An earlier version of an encounter, kept when the practitioner amends it (a medical record is
    amended, never overwritten): the values as they were, who amended, when and why; encrypted like
    the encounter. ``revision`` counts from 1 per encounter."""

    __tablename__ = "clinic_encounter_revisions"
    __table_args__ = (UniqueConstraint("tenant_id", "encounter_id", "revision", name="uq_clinic_encounter_revisions"),)

    encounter_id: Mapped[int] = tenant_ref("clinic_encounters", ondelete="CASCADE")
    revision: Mapped[int] = mapped_column(Integer)
    practitioner: Mapped[str] = mapped_column(String(20))
    complaint: Mapped[str] = mapped_column(EncryptedText, default="")
    vitals: Mapped[str] = mapped_column(EncryptedText, default="{}")
    icd10: Mapped[str] = mapped_column(EncryptedText, default="")
    diagnosis: Mapped[str] = mapped_column(EncryptedText, default="")
    prescription: Mapped[str] = mapped_column(EncryptedText, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    amended_by: Mapped[str] = mapped_column(String(20))
    amended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(EncryptedText, default="")


class SatusehatMessage(TenantOwned, db.Model):
    """A FHIR resource waiting to be sent to SATUSEHAT (an outbox row, written with the encounter);
    the body is encrypted (it carries health data). Status: pending, sent, failed."""

    __tablename__ = "clinic_satusehat_outbox"
    __table_args__ = (Index("ix_clinic_satusehat_outbox_tenant_status", "tenant_id", "status"),)

    resource_type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SmsCode(TenantOwned, db.Model):
    """A booking code an SMS reply carries (``DAFTAR``, ``BATAL``), to be masked in the outbox's
    stored copy once the gateway has it (``sms_secrets``). ``recipient_hash`` is the outbox's keyed
    hash of the phone the reply goes to (how the reply is found); ``masked_at`` is NULL until no reply
    holding the code waits to be sent. The job reads only the rows not yet masked (a partial index),
    so its cost does not grow with the days of SMS behind it."""

    __tablename__ = "clinic_sms_codes"
    __table_args__ = (Index("ix_clinic_sms_codes_unmasked", "tenant_id", "id",
                            postgresql_where=text("masked_at IS NULL"), sqlite_where=text("masked_at IS NULL")),)

    visit_id: Mapped[int] = tenant_ref("clinic_visits", ondelete="CASCADE")
    recipient_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    masked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PractitionerId(TenantOwned, db.Model):
    """A practitioner of the settings (clinic and code) as SATUSEHAT knows them: their NIK (encrypted,
    set with ``pamong clinic practitioner-nik``) and the IHS number SATUSEHAT gave for it, kept once
    found (``satusehat_ids.practitioner_ihs``), as the patient's is kept on the patient."""

    __tablename__ = "clinic_practitioners"
    __table_args__ = (UniqueConstraint("tenant_id", "clinic", "code", name="uq_clinic_practitioners_code"),)

    clinic: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))
    nik: Mapped[str | None] = mapped_column(IdentityNumber("nik"), nullable=True)
    nik_hash: Mapped[str] = identity_hash("nik")
    ihs_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
