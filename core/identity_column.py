"""Identity numbers at rest (DESIGN §4): stored encrypted, with a keyed hash beside them for lookup.

In a model::

    from core.kit import IdentityNumber, identity_hash

    class Patient(TenantOwned, db.Model):
        nik: Mapped[str | None] = mapped_column(IdentityNumber("nik"))
        nik_hash: Mapped[str] = identity_hash("nik")

Assigning ``patient.nik = "7371 0141 0190 0001"`` normalises and checks the number at once (raising
``IdentityError`` there, not at flush) and sets ``nik_hash``; the column holds Fernet ciphertext
(``core.crypto``). Find rows with ``Patient.nik_hash == identity_lookup("nik", typed)``. Show the
number with ``mask_identity(patient.nik, reveal=...)`` (``core.identity``).
"""
from __future__ import annotations

from sqlalchemy import String, Text, event
from sqlalchemy.orm import Mapper, mapped_column
from sqlalchemy.types import TypeDecorator

from .crypto import decrypt, encrypt, keyed_hash
from .identity import KINDS, normalise

_MARK = "identity_hash_of"


def identity_lookup(kind: str, value) -> str:
    """The keyed hash stored beside an identity number of ``kind`` (normalised first; raises
    ``IdentityError`` for a number that breaks a rule)."""
    return keyed_hash(f"{kind}:{normalise(kind, value)}")


class IdentityNumber(TypeDecorator):
    """A text column holding an identity number of ``kind`` (``core.identity.KINDS``), normalised and
    stored encrypted; reads give the normalised number back. None stays None."""

    impl = Text
    cache_ok = True

    def __init__(self, kind: str, *args, **kw):
        if kind not in KINDS:
            raise ValueError(f"unknown kind of identity number '{kind}' (one of: {', '.join(KINDS)})")
        self.kind = kind
        super().__init__(*args, **kw)

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(normalise(self.kind, value))

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)


def identity_hash(source: str):
    """The keyed-hash column kept beside the ``IdentityNumber`` attribute named ``source`` ("" when
    it is None)."""
    return mapped_column(String(64), default="", info={_MARK: source})


@event.listens_for(Mapper, "mapper_configured")
def _keep_hashes(mapper, cls):
    for prop in mapper.column_attrs:
        source = prop.columns[0].info.get(_MARK)
        if source is None:
            continue
        target = prop.key
        kind = mapper.columns[source].type.kind

        def on_set(obj, value, oldvalue, initiator, kind=kind, target=target):
            if value is None:
                setattr(obj, target, "")
                return None
            value = normalise(kind, value)
            setattr(obj, target, keyed_hash(f"{kind}:{value}"))
            return value

        event.listen(getattr(cls, source), "set", on_set, retval=True)
