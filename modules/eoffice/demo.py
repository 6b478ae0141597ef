"""Demonstration letters for ``pamong demo`` (issue 14: "a few letters in each state"), for the
demo accounts: ``staf@<slug>.test`` (an officer of the first agency: drafts and sends) and
``officer@<slug>.test`` (an officer of the first agency, its secretary: gives the paraf, returns,
receives a disposition; a drafter may not verify their own letter), and the officials of the
positions the demo uses, each a person of their own (``officials``: accounts made by ``pamong demo``
through the hook ``demo_accounts``, the demo password, names invented, with gelar):

- ``kadis.<first agency>@``: *Ir. Hasanuddin Rauf, M.T.*, head of the first agency (signs, disposes);
- ``kadis.<second agency>@``: *Nurhayati Said, S.T., M.Si.*, acting head (Plt.) of the second;
- when the settings name them (Makassar's file declares them in its Setda): the Kepala Daerah
  (``walikota@``, ``bupati@`` or ``gubernur@`` by the tenant's kind: *Dr. H. Andi Makkulau, S.H.,
  M.H.*), the Wakil (``wawali@`` / ``wabup@`` / ``wagub@``: *Hj. Fatmawati Rahim, S.E.*) and the
  Sekda (``sekda@``: *Drs. Muhammad Yusran, M.Si.*).

``admin@`` is the tenant's admin and holds no position. Positions are added when the tenant's file
has none for these agencies (Makassar's file declares them; the holders are given here, every time,
since applying the file again ends the holdings it does not name; a holder given here holds from
before the demo's data, see ``_position``). Letters are seeded once; one incoming letter is
registered from paper (its "scan" a one-page PDF made here)."""
from __future__ import annotations

from datetime import timedelta

from core.kit import (
    Actor, OrgUnit, User, active_positions, add_position, assign_holder, db, find_position, holders_of, local_date,
    tenant_scope, utcnow,
)

from .delivery import dispose, send
from .drafting import Draft, save_draft, submit
from .models import Disposition, Letter
from .register import Incoming, register
from .review import return_letter, sign, verify
from .settings import settings_of

# invented people (no real official's name), one per official position the demo uses: (name, gelar
# before, gelar after); the heads of the first two agencies, then the Kepala Daerah, Wakil and Sekda
HEADS = (("Hasanuddin Rauf", "Ir.", "M.T."), ("Nurhayati Said", None, "S.T., M.Si."))
LEADERS = {  # the setting naming the position -> (login, by the tenant's kind when a dict; the person)
    "kepala_daerah_position": ({"city": "walikota", "regency": "bupati", "province": "gubernur"},
                               ("Andi Makkulau", "Dr. H.", "S.H., M.H.")),
    "wakil_kepala_daerah_position": ({"city": "wawali", "regency": "wabup", "province": "wagub"},
                                     ("Fatmawati Rahim", "Hj.", "S.E.")),
    "sekretaris_daerah_position": ("sekda", ("Muhammad Yusran", "Drs.", "M.Si.")),
}

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


def _agencies(tenant) -> list:
    with tenant_scope(tenant):
        return list(db.session.execute(db.select(OrgUnit).where(OrgUnit.kind == "agency", OrgUnit.active.is_(True))
                                       .order_by(OrgUnit.id)).scalars())[:2]


def officials(tenant) -> list[dict]:
    """The official positions the demo uses and the person holding each: ``[{"key", "code",
    "position", "head", "unit", "acting", "login", "name", "title_front", "title_back",
    "agency"}]``: the heads of the first two agencies (the second's acting, Plt.), then the Kepala
    Daerah, the Wakil and the Sekda the settings name (positions the tenant has); [] without two
    agencies."""
    units = _agencies(tenant)
    if len(units) < 2:
        return []
    rows = []
    for key, unit, (name, front, back), acting in (("kadis", units[0], HEADS[0], False),
                                                    ("kadis2", units[1], HEADS[1], True)):
        rows.append({"key": key, "code": f"KADIS-{unit.code}", "position": f"Kepala {unit.name}", "head": True,
                     "unit": unit, "acting": acting, "login": f"kadis.{unit.code.lower()}", "name": name,
                     "title_front": front, "title_back": back, "agency": unit.code})
    settings = settings_of(tenant)
    positions = {p["code"]: p for p in active_positions(tenant)}
    for key, (login, (name, front, back)) in LEADERS.items():
        found = positions.get(settings.get(key) or "")
        if found is None:
            continue
        rows.append({"key": key, "code": found["code"], "position": found["name"], "head": found["is_head"],
                     "unit": None, "acting": False, "name": name, "title_front": front, "title_back": back,
                     "login": login if isinstance(login, str) else login.get(tenant.kind, "kepala.daerah"),
                     "agency": found["unit_code"] if found["unit_kind"] == "agency" else units[0].code})
    return rows


def accounts(tenant) -> list[dict]:
    """The officials' accounts for ``pamong demo`` (the core's hook ``demo_accounts``)."""
    return [{"login": o["login"], "name": o["name"], "role": "officer", "agency": o["agency"],
             "title_front": o["title_front"], "title_back": o["title_back"],
             "note": ("Plt. " if o["acting"] else "") + o["position"]} for o in officials(tenant)]


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
    tenant lacks two agencies, the demo accounts or the officials' accounts)."""
    officer_email = f"officer@{tenant.slug}.test"
    people = officials(tenant)
    with tenant_scope(tenant):
        officer, staff = _user(officer_email), _user(f"staf@{tenant.slug}.test")
        held = {o["key"]: (o, _user(f"{o['login']}@{tenant.slug}.test")) for o in people}
        if not people or officer is None or staff is None or any(user is None for _o, user in held.values()):
            return 0
        first, second = _agencies(tenant)
        # every time: applying the tenant file again leaves its positions without the demo's holders
        for official, user in held.values():  # the heads, and the Kepala Daerah, Wakil and Sekda the settings name
            _position(tenant, official["unit"], official["code"], official["position"], official["head"], user.email,
                      acting=official["acting"])
        _position(tenant, first, f"SEK-{first.code}", f"Sekretaris {first.name}", False, officer_email)
        leaders = {key: official["code"] for key, (official, _u) in held.items() if key in LEADERS}
        db.session.flush()
        if db.session.execute(db.select(Letter.id).limit(1)).first():
            return 0
    drafter, secretary = Actor.for_user(staff, tenant), Actor.for_user(officer, tenant)
    head, acting_head = Actor.for_user(held["kadis"][1], tenant), Actor.for_user(held["kadis2"][1], tenant)
    system = Actor.system("demo", tenant)
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
        sign(tenant, acting_head, letter.id, 0)
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
                verify(tenant, Actor.for_user(held["sekretaris_daerah_position"][1], tenant), edaran.id, 0)
            sign(tenant, Actor.for_user(held["kepala_daerah_position"][1], tenant), edaran.id, 1 if sekda else 0)
            send(tenant, drafter, edaran.id)
        made = db.session.execute(db.select(db.func.count(Letter.id))).scalar()
    return made
