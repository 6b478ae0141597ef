"""The models of the JSON API (``api.py``): what each endpoint accepts and answers, declared once.

``api.py`` validates requests with these models (``core.kit.operation``) and the core writes them
into ``/api/v1/openapi.json``; the walk of the document in ``tests/test_openapi.py`` checks every
answer against them. Type and range errors keep the module's stable codes (``error_codes``); the
domain's own checks (a known category, a valid phone, a transition allowed) stay in the services.
Open311 GeoReport v2 (``/open311/v2/``) keeps its standard's format and is linked, not redrawn.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, StrictBool

from core.kit import ApiModel, ApiOutput

from .models import STATUSES, UNFIXED_OUTCOMES

Status = Literal[STATUSES]  # type: ignore[valid-type]


def _not_a_flag(value):
    if isinstance(value, bool):  # JSON true is not a number, though Python's bool is an int
        raise ValueError("must be a number")
    return value


Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False), BeforeValidator(_not_a_flag)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False), BeforeValidator(_not_a_flag)]
_PHOTOS = Field(default_factory=list, description="Photos as base64 strings (JPEG or PNG), at most the "
                                                  "tenant's max_photos of max_photo_kb each")


# --- requests -----------------------------------------------------------------------------------

class ListQuery(ApiModel):
    """Filters and paging of the list."""

    status: Literal[("all", "open") + STATUSES] = Field(  # type: ignore[valid-type]
        "all", description="A status, 'open' (any open one) or 'all'")
    category: str = Field("", description="A category code of the tenant, e.g. SAMPAH")
    page: int = Field(1, ge=1, le=1_000_000, description="From 1")
    per_page: int = Field(50, ge=1, le=200, description="Items a page")
    error_codes: ClassVar[dict[str, str]] = {"per_page": "invalid_page_size", "status": "invalid_status"}


class Filing(ApiModel):
    """A complaint as an integration files it (a citizen's words, where, and how to reach them)."""

    category: str = Field(description="A category code of the tenant (its settings), e.g. SAMPAH")
    description: str = Field(description="What is wrong, in the citizen's words")
    district: str = Field("", description="The kecamatan's org unit code")
    village: str = Field("", description="The kelurahan's org unit code (its district follows)")
    address: str = ""
    lat: Latitude | None = Field(None, description="WGS 84 latitude in degrees (with long)")
    long: Longitude | None = Field(None, description="WGS 84 longitude in degrees (with lat)")
    name: str = ""
    phone: str = Field("", description="An Indonesian mobile number (08..., +628...)")
    email: str = ""
    notify_by: Literal["", "sms", "email", "none"] = Field(
        "", description="How the filer hears of progress; '' is the first contact given")
    anonymous: StrictBool = Field(False, description="SP4N-LAPOR! anonim: the filer's identity is hidden from "
                                                     "the agency's officers too")
    confidential: StrictBool = Field(False, description="SP4N-LAPOR! rahasia: left out of every public output "
                                                        "(lists, Open311, this API: 404 by its number)")
    photos: list[str] = _PHOTOS
    error_codes: ClassVar[dict[str, str]] = {"lat": "invalid_coordinate", "long": "invalid_coordinate",
                                             "photos": "invalid_photo", "notify_by": "invalid_choice"}


class StatusChange(ApiModel):
    """A move in the workflow (submitted → verified → assigned → in_progress → resolved → closed)."""

    status: Status = Field(description="The status to move to")
    note: str = Field("", description="Required to reject or resolve; shown to the filer")
    outcome: str | None = Field(None, description="To close an open complaint without a fix, say why: one of "
                                                  + ", ".join(UNFIXED_OUTCOMES) + " (invalid_transition "
                                                  "without one; invalid_outcome for any other move)")
    error_codes: ClassVar[dict[str, str]] = {"status": "invalid_transition", "outcome": "invalid_outcome"}


class Reroute(ApiModel):
    agency: str = Field(description="The org unit code of the agency to forward to")
    reason: str = ""


class FilerProof(ApiModel):
    """The filer's step relayed by an integration (a chat bot, a call centre)."""

    access_code: str = Field(description="The access code the filer was given when filing")


class Reopen(FilerProof):
    reason: str = Field("", description="Why the fix did not hold")


class Info(FilerProof):
    text: str = Field("", description="What the filer adds")
    photos: list[str] = _PHOTOS
    error_codes: ClassVar[dict[str, str]] = {"photos": "invalid_photo"}


class ChatSender(ApiModel):
    name: str = ""
    phone: str = ""
    email: str = ""


class ChatLocation(ApiModel):
    address: str = ""
    lat: float | None = None
    long: float | None = None
    district: str = ""
    village: str = ""


class ChatMessage(ApiModel):
    """A chat-gateway message (WhatsApp, Telegram, ...), checked by ``channels.file_social``."""

    message_id: str = Field(max_length=100, description="The gateway's id: the same id twice is 409 replayed")
    channel: str = Field("social", max_length=30)
    text: str = Field(description="The message; without category its first word may name one")
    category: str = ""
    sender: ChatSender = Field(default_factory=ChatSender)
    location: ChatLocation = Field(default_factory=ChatLocation)
    anonymous: bool = False
    confidential: bool = False


# --- answers -----------------------------------------------------------------------------------

class TimelineEvent(ApiOutput):
    at: datetime | None
    kind: str = Field(description="filed, status, rerouted, reopened, escalated, info, confirmed, ...")
    from_status: str | None
    to_status: str | None
    agency: str | None = Field(description="The agency's org unit code")
    outcome: str | None
    note: str


class Complaint(ApiOutput):
    """A complaint as the public may see it: never the filer's name, phone or e-mail."""

    number: str = Field(description="The tracking number, e.g. MKS-2026-000123")
    status: Status
    status_note: str | None
    category: str | None
    agency: str | None = Field(description="The agency's org unit code")
    district: str | None
    village: str | None
    address: str | None
    lat: float | None
    long: float | None
    description: str | None
    channel: str = Field(description="portal, sms, social, hotline, open311 or api")
    created_at: datetime | None
    updated_at: datetime | None
    response_due_at: datetime | None
    resolution_due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalation_level: int | None = Field(description="1 head of agency, 2 coordinator")
    overdue: Literal["response", "followup", "resolution"] | None = Field(
        description="The target that has passed, if any")
    photos: int = Field(description="How many photos are shown")
    outcome: str | None
    confirmed_at: datetime | None
    anonymous: bool
    timeline: list[TimelineEvent] | None = Field(None, description="One complaint's answer only")


class FiledComplaint(Complaint):
    access_code: str = Field(description="The filer's access code, given once (reopen, confirm, info)")


class ComplaintPage(ApiOutput):
    items: list[Complaint]
    page: int
    per_page: int
    has_next: bool


class ChatFiled(ApiOutput):
    number: str
    status: Status


SIGNATURE = {"X-Pamong-Timestamp": "Unix seconds",
             "X-Pamong-Signature": "sha256=HMAC-SHA256 of '<timestamp>.' + body with the tenant's chat secret"}
OPEN311 = {"description": "Open311 GeoReport v2", "url": "https://wiki.open311.org/GeoReport_v2"}


def open311_paths() -> dict:
    """Open311 GeoReport v2 as this module serves it (its own format; the standard links the rest)."""
    fmt = {"name": "format", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}}
    doc = {"tags": ["complaints"], "externalDocs": OPEN311, "security": []}
    return {
        "/open311/v2/discovery.{format}": {"parameters": [fmt], "get": {
            **doc, "summary": "Open311 discovery: the endpoint, its formats and the standard's version",
            "responses": {"200": {"description": "GeoReport v2 discovery (its own format)"}}}},
        "/open311/v2/services.{format}": {"parameters": [fmt], "get": {
            **doc, "summary": "Open311 services: the tenant's complaint categories",
            "responses": {"200": {"description": "GeoReport v2 service list (its own format)"}}}},
    }
