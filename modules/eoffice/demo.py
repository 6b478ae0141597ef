"""Demonstration letters for ``pamong demo`` (issue 14: "a few letters in each state"), for the
demo accounts: ``staf@<slug>.test`` (an officer of the first agency: drafts and sends),
``officer@<slug>.test`` (an officer of the first agency, its secretary: gives the paraf, returns,
receives a disposition; a drafter may not verify their own letter) and ``admin@<slug>.test`` (head
of the first agency, and acting head, Plt., of the second: signs and disposes). Positions are added when the tenant's file has none for these
agencies (Makassar's file declares them; the holders are given here, every time, since applying
the file again ends the holdings it does not name; a holder given here holds from before the
demo's data, see ``_position``). Letters are seeded once; one incoming letter is
registered from paper (its "scan" a one-page PDF made here)."""
from __future__ import annotations

from datetime import timedelta

from core.kit import (
    Actor, OrgUnit, User, add_position, assign_holder, db, find_position, holders_of, local_date, tenant_scope, utcnow,
)

from .delivery import dispose, send
from .drafting import Draft, save_draft, submit
from .models import Disposition, Letter
from .register import Incoming, register
from .review import return_letter, sign, verify
from .settings import settings_of
from .signature import ROLE_SETTINGS

BODY = ("<p>Dengan hormat,</p><p>Sehubungan dengan {topic}, bersama ini kami sampaikan hal tersebut untuk "
        "menjadi perhatian dan ditindaklanjuti sebagaimana mestinya.</p>"
        "<p>Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.</p>")


def _user(email: str):
    return db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()


def _position(tenant, unit, code, name, head, email, acting=False):
    """``email`` holds ``code`` from before the demo's data (a definitive holder from the first day of
    last month, the month other modules seed as past and closed, e.g. remuneration's; an acting one
    from 30 days ago), not from the day the demo runs; when they held it yesterday (applying the
    tenant file again ended that holding yesterday) the new one goes on from today."""
    position = find_position(tenant, code) or add_position(tenant, unit, code, name, head, "demo")
    if not any(u.email == email for u in holders_of(tenant, code)):
        today = local_date(tenant, utcnow())
        start = today - timedelta(days=30) if acting else (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        if any(u.email == email for u in holders_of(tenant, code, today - timedelta(days=1))):
            start = today
        assign_holder(tenant, position, email, "demo", acting=acting, start=start)


def scan_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` of text (ASCII), standing for a scanned paper letter."""
    text = "".join(f"({line.replace(chr(92), '').replace('(', '[').replace(')', ']')}) Tj 0 -16 Td " for line in lines)
    stream = f"BT /F1 11 Tf 72 760 Td {text}ET".encode("ascii", "replace")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def seed(tenant) -> int:
    """Add the demonstration letters; returns how many (0 when there were some already, or the
    tenant lacks two agencies or the demo accounts)."""
    officer_email, admin_email = f"officer@{tenant.slug}.test", f"admin@{tenant.slug}.test"
    with tenant_scope(tenant):
        units = list(db.session.execute(db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.active.is_(True))
                                        .order_by(OrgUnit.id)).scalars())[:2]
        officer, admin, staff = _user(officer_email), _user(admin_email), _user(f"staf@{tenant.slug}.test")
        if len(units) < 2 or officer is None or admin is None or staff is None:
            return 0
        first, second = units
        # every time: applying the tenant file again leaves its positions without the demo's holders
        _position(tenant, first, f"KADIS-{first.code}", f"Kepala {first.name}", True, admin_email)
        _position(tenant, first, f"SEK-{first.code}", f"Sekretaris {first.name}", False, officer_email)
        _position(tenant, second, f"KADIS-{second.code}", f"Kepala {second.name}", True, admin_email, acting=True)
        # the Kepala Daerah, the Wakil and the Sekda the settings name (Makassar's file declares
        # them in its Setda): held by the demo accounts, so a letter signed by the Wali Kota works
        settings = settings_of(tenant)
        leaders = {key: settings[key] for key in ROLE_SETTINGS.values() if settings.get(key) and find_position(tenant, settings[key])}
        for key, email in (("kepala_daerah_position", admin_email), ("wakil_kepala_daerah_position", staff.email),
                           ("sekretaris_daerah_position", officer_email)):
            if key in leaders:
                _position(tenant, None, leaders[key], "", False, email)
        db.session.flush()
        if db.session.execute(db.select(Letter.id).limit(1)).first():
            return 0
    drafter, secretary = Actor.for_user(staff, tenant), Actor.for_user(officer, tenant)
    head, system = Actor.for_user(admin, tenant), Actor.system("demo", tenant)
    sek, kadis, kadis2 = f"SEK-{first.code}", f"KADIS-{first.code}", f"KADIS-{second.code}"

    def outgoing(topic, classification="000.1.5", **over):
        values = dict(letter_type="SB", classification=classification, subject=topic[0].upper() + topic[1:],
                      body=BODY.format(topic=topic), unit=first.code, to_units=[second.code],
                      cc_external=["Wali Kota Makassar"], verifiers=[sek], signer=kadis)
        values.update(over)
        return save_draft(tenant, drafter, Draft(**values))

    def incoming(topic, classification="600.4"):
        letter = save_draft(tenant, system, Draft(
            letter_type="ND", classification=classification, subject=topic[0].upper() + topic[1:],
            body=BODY.format(topic=topic), unit=second.code, to_units=[first.code], signer=kadis2))
        submit(tenant, system, letter.id)
        sign(tenant, head, letter.id, 0)
        send(tenant, system, letter.id)
        return letter

    with tenant_scope(tenant):
        outgoing("permohonan data timbulan sampah triwulan III")                      # a draft
        waiting = outgoing("undangan rapat koordinasi bank sampah", letter_type="UND")  # awaiting the paraf
        submit(tenant, drafter, waiting.id)
        to_sign = outgoing("laporan pengawasan kualitas udara", classification="600.4")  # awaiting the signature
        submit(tenant, drafter, to_sign.id)
        verify(tenant, secretary, to_sign.id, 0)
        not_sent = outgoing("pemberitahuan jadwal pengangkutan sampah")                # signed, not sent
        submit(tenant, drafter, not_sent.id)
        verify(tenant, secretary, not_sent.id, 0)
        sign(tenant, head, not_sent.id, 1)
        out = outgoing("permintaan dukungan alat berat", security="terbatas")          # sent to the second agency
        submit(tenant, drafter, out.id)
        verify(tenant, secretary, out.id, 0)
        sign(tenant, head, out.id, 1)
        send(tenant, drafter, out.id)
        returned = outgoing("usulan perubahan standar operasional prosedur", classification="000.8.3.3")
        submit(tenant, drafter, returned.id)
        return_letter(tenant, secretary, returned.id, 0, "Lengkapi dasar hukum pada paragraf pertama.")
        incoming("perbaikan saluran drainase di Jalan Veteran")                          # unread incoming
        disposed = incoming("pembersihan sisa material proyek jalan")                    # disposed, overdue
        row = dispose(tenant, head, disposed.id, officer.id, "Koordinasikan dengan UPT kebersihan dan laporkan.")
        db.session.flush()
        with tenant_scope(tenant):
            db.session.execute(db.update(Disposition).where(Disposition.id == row.id)
                               .values(due_on=local_date(tenant, utcnow()) - timedelta(days=2)))
        register(tenant, drafter, Incoming(                                            # registered from paper
            unit=first.code, sender="PT Sinar Bersih Makassar", sender_number="021/SBM/XI/2026",
            subject="Permohonan kerja sama pengangkutan sampah pasar", letter_type="SB", classification="600.4",
            letter_date=local_date(tenant, utcnow()) - timedelta(days=3),
            scan=("surat-pt-sinar-bersih.pdf", scan_pdf(["PT SINAR BERSIH MAKASSAR", "Nomor: 021/SBM/XI/2026",
                                                         "Hal: Permohonan kerja sama pengangkutan sampah pasar"]))))
        kepala, sekda = leaders.get("kepala_daerah_position"), leaders.get("sekretaris_daerah_position")
        if kepala:  # a surat edaran of the Kepala Daerah, the Sekda's paraf first when there is one
            edaran = outgoing("pengurangan sampah plastik di lingkungan perangkat daerah", "100.3.4", letter_type="SE",
                              to_units=[first.code, second.code], cc_external=[], verifiers=[sekda] if sekda else [],
                              signer=kepala)
            submit(tenant, drafter, edaran.id)
            if sekda:
                verify(tenant, secretary, edaran.id, 0)
            sign(tenant, head, edaran.id, 1 if sekda else 0)
            send(tenant, drafter, edaran.id)
        made = db.session.execute(db.select(db.func.count(Letter.id))).scalar()
    return made
