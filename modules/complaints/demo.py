"""Demonstration complaints (``pamong demo``): a few in every state, spread over recent months."""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from core.kit import OrgUnit, db, members_of, tenant_scope, utcnow

from .models import Complaint
from .services import Filing, file_complaint
from .settings import agency_for, categories
from .sla import escalate_overdue
from .workflow import transition

TEXTS = {
    "SAMPAH": "Sampah menumpuk di pinggir jalan sudah tiga hari tidak diangkut, baunya sampai ke rumah warga.",
    "JALAN": "Jalan berlubang cukup dalam di depan sekolah, sudah ada pengendara motor yang jatuh.",
    "DRAINASE": "Saluran air tersumbat, setiap hujan air meluap ke jalan dan masuk ke rumah warga.",
    "LAMPU": "Lampu penerangan jalan mati sejak seminggu, jalan menjadi gelap dan rawan di malam hari.",
    "KESEHATAN": "Puskesmas tutup lebih awal dari jadwal, warga tidak bisa berobat pada sore hari.",
    "PARKIR": "Parkir liar di trotoar menyebabkan kemacetan setiap pagi di depan pasar.",
    "POHON": "Pohon besar miring ke arah jalan dan dikhawatirkan tumbang saat angin kencang.",
}
GENERIC = "Mohon ditindaklanjuti: masalah ini sudah lama dan mengganggu warga sekitar."

# (days ago filed, category index, statuses it went through, days between steps); the overdue,
# the photographed and the reopenable ones go to the first category, whose agency has the demo officer
SCENARIOS = [
    (0, 0, [], 0),
    (1, 1, ["verified"], 0.2),
    (3, 2, ["verified", "assigned"], 0.5),
    (12, 0, ["verified", "assigned", "in_progress"], 1),
    (5, 0, ["verified", "assigned", "in_progress", "resolved"], 0.5),
    (20, 3, ["rejected"], 1),
    (40, 4, ["verified", "assigned", "in_progress", "resolved", "closed"], 0.5),
    (75, 5, ["verified", "assigned", "in_progress", "resolved", "closed"], 3),
    (110, 6, ["verified", "assigned", "in_progress", "resolved", "closed"], 0.25),
    (150, 1, ["verified", "assigned", "in_progress", "resolved", "closed"], 1),
]
NOTES = {"resolved": "Sudah ditangani oleh petugas lapangan.", "rejected": "Bukan kewenangan pemerintah kota.",
         "closed": ""}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (120, 140, 90)).save(out, "JPEG")
    return out.getvalue()


def seed(tenant) -> int:
    """Add the demonstration complaints unless the tenant has complaints already; returns how many."""
    with tenant_scope(tenant):
        if db.session.execute(db.select(Complaint.id).limit(1)).first():
            return 0
        cats = categories(tenant)
        if not cats:
            return 0
        villages = list(db.session.execute(
            db.select(OrgUnit).where(OrgUnit.kind == "village", OrgUnit.active.is_(True)).order_by(OrgUnit.id)
        ).scalars())
        now = utcnow()
        made = 0
        for index, (days, which, path, step) in enumerate(SCENARIOS):
            cat = cats[which % len(cats)]
            filed_at = now - timedelta(days=days, hours=3)
            filing = Filing(
                category=cat.code, description=TEXTS.get(cat.code.upper(), GENERIC),
                village=villages[index % len(villages)].code if villages else "",
                address=f"Jl. Contoh No. {index + 1}", name=f"Warga Demo {index + 1}",
                phone=f"08123400{index:04d}", notify_by="sms",
                photos=[_photo()] if index == 3 else [],
            )
            complaint, _key = file_complaint(tenant, None, filing, "portal" if index % 3 else "sms", now=filed_at)
            officers = members_of(tenant, "officer", agency_for(tenant, cat).id)
            actor = officers[0] if officers else "system"
            at = filed_at
            for status in path:
                at = at + timedelta(days=step)
                transition(tenant, actor, complaint, status, note=NOTES.get(status, ""), now=at)
            made += 1
        escalate_overdue(tenant, now)
        db.session.flush()
        return made
