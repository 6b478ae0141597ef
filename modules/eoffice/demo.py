"""Demonstration letters for ``pamong demo`` (issue 14: "a few letters in each state"), for the
demo accounts: ``staf@<slug>.test`` (an officer of the first agency: drafts and sends) and
``officer@<slug>.test`` (an officer of the first agency, its secretary: gives the paraf, returns,
receives a disposition; a drafter may not verify their own letter; the banner names the position),
``staf.<second agency>@`` (an officer of the second agency: drafts and sends its letters), and the
officials of the positions the demo uses, each a person of their own (``officials``: accounts made
by ``pamong demo`` through the hook ``demo_accounts``, the demo password, names invented, with
gelar, a cast of its own for each government: ``CASTS``; Makassar's below):

- ``staf.<second agency>@``: *Rahmat Hidayat*;
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
registered from paper (its "scan" a one-page PDF made here). A province seeds none (its demo shows
its cities' figures: the letters here are a city's or a regency's agencies'). Between the demo's
tenants (``PARTNERS``: Makassar and Bandung) each city's first agency writes one letter to the
other government, once, delivered by the post between tenants when the demo's messages go."""
from __future__ import annotations

from datetime import timedelta

from core.kit import (
    Actor, OrgUnit, User, active_positions, add_position, assign_holder, db, find_position, holders_of, local_date,
    tenant_scope, utcnow,
)

from .delivery import dispose, send
from .drafting import Draft, save_draft, submit
from .models import Disposition, Event, Letter, Recipient
from .register import Incoming, register
from .review import return_letter, sign, verify
from .settings import place, settings_of

# invented people (no real official's name), a cast of its own for each demo government (trial t14e:
# one Kepala DLH in every city): per official position the demo uses (name, gelar before, gelar
# after): the heads of the first two agencies, the Kepala Daerah, the Wakil and the Sekda; and the
# second agency's officer who drafts its letters. A tenant not named here takes ``CASTS[None]``.
CASTS = {
    "makassar": {"heads": (("Hasanuddin Rauf", "Ir.", "M.T."), ("Nurhayati Said", None, "S.T., M.Si.")),
                 "leaders": (("Andi Makkulau", "Dr. H.", "S.H., M.H."), ("Fatmawati Rahim", "Hj.", "S.E."),
                             ("Muhammad Yusran", "Drs.", "M.Si.")),
                 "staff": "Rahmat Hidayat"},
    "bandung": {"heads": (("Asep Saepudin", "Ir.", "M.T."), ("Euis Rohayati", None, "S.T., M.T.")),
                "leaders": (("Cecep Hidayat", "Dr. H.", "M.Si."), ("Neneng Suryani", "Hj.", "S.E."),
                            ("Ujang Sutisna", "Drs.", "M.Si.")),
                "staff": "Dadang Suherman"},
    "tangerang": {"heads": (("Ahmad Syarifudin", "Ir.", "M.Sc."), ("Siti Maesaroh", None, "S.T., M.T.")),
                  "leaders": (("Sugeng Prasetyo", "Dr. H.", "S.H., M.H."), ("Lilis Suryani", "Hj.", "S.E."),
                              ("Jajang Nurjaman", "Drs.", "M.Si.")),
                  "staff": "Bambang Irawan"},
    None: {"heads": (("Yusuf Maulana", "Ir.", "M.T."), ("Ratna Dewi", None, "S.T., M.Si.")),
           "leaders": (("Hendra Wijaya", "Dr. H.", "S.H., M.H."), ("Sri Wahyuni", "Hj.", "S.E."),
                       ("Agus Salim", "Drs.", "M.Si.")),
           "staff": "Rudi Hartono"},
}
LEADERS = {  # the setting naming the position -> the login (by the tenant's kind when a dict), in CASTS' order
    "kepala_daerah_position": {"city": "walikota", "regency": "bupati", "province": "gubernur"},
    "wakil_kepala_daerah_position": {"city": "wawali", "regency": "wabup", "province": "wagub"},
    "sekretaris_daerah_position": "sekda",
}
STAFF = "staf"  # the second agency's drafter's login: staf.<code>@


def cast_of(tenant) -> dict:
    """The demo's people of ``tenant`` (``CASTS``)."""
    return CASTS.get(tenant.slug) or CASTS[None]


# the demo's pairs of governments that write to each other (tenants/*.toml): a letter between
# governments (crossing.py) seen on both sides, each received by the other's incoming_unit
PARTNERS = {"makassar": ("bandung", "Permohonan kunjungan kerja pengelolaan bank sampah", "000.1.2"),
            "bandung": ("makassar", "Permohonan berbagi pengalaman pengelolaan tempat pemrosesan akhir sampah",
                        "600.4")}

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
    if len(units) < 2 or tenant.kind == "province":
        return []
    rows, cast = [], cast_of(tenant)
    for key, unit, (name, front, back), acting in (("kadis", units[0], cast["heads"][0], False),
                                                    ("kadis2", units[1], cast["heads"][1], True)):
        rows.append({"key": key, "code": f"KADIS-{unit.code}", "position": f"Kepala {unit.name}", "head": True,
                     "unit": unit, "acting": acting, "login": f"kadis.{unit.code.lower()}", "name": name,
                     "title_front": front, "title_back": back, "agency": unit.code})
    settings = settings_of(tenant)
    positions = {p["code"]: p for p in active_positions(tenant)}
    for (key, login), (name, front, back) in zip(LEADERS.items(), cast["leaders"]):
        found = positions.get(settings.get(key) or "")
        if found is None:
            continue
        rows.append({"key": key, "code": found["code"], "position": found["name"], "head": found["is_head"],
                     "unit": None, "acting": False, "name": name, "title_front": front, "title_back": back,
                     "login": login if isinstance(login, str) else login.get(tenant.kind, "kepala.daerah"),
                     "agency": found["unit_code"] if found["unit_kind"] == "agency" else units[0].code})
    return rows


def _secretary(first) -> tuple[str, str]:
    """The first agency's secretary's position (``officer@``'s): its code and name."""
    return f"SEK-{first.code}", f"Sekretaris {first.name}"


def accounts(tenant) -> list[dict]:
    """The accounts of the demo's letters for ``pamong demo`` (the core's hook ``demo_accounts``):
    the officials, the second agency's drafter, and the position of the core's ``officer@`` (the
    first agency's secretary: a note on its line of the banner)."""
    people = officials(tenant)
    if not people:
        return []
    first, second = people[0]["unit"], people[1]["unit"]
    code, name = _secretary(first)
    held = find_position(tenant, code)
    rows = [{"login": "officer", "note": held.name if held is not None else name},
            {"login": f"{STAFF}.{second.code.lower()}", "name": cast_of(tenant)["staff"], "role": "officer",
             "agency": second.code, "note": f"Staf {second.name}"}]
    return rows + [{"login": o["login"], "name": o["name"], "role": "officer", "agency": o["agency"],
                    "title_front": o["title_front"], "title_back": o["title_back"],
                    "note": ("Plt. " if o["acting"] else "") + o["position"]} for o in people]


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
    tenant is a province or lacks two agencies, the demo accounts or the officials' accounts). The
    letter to the tenant's partner (``PARTNERS``) is added once, when it has none to it yet."""
    cast = _cast(tenant)
    if cast is None:
        return 0
    with tenant_scope(tenant):
        # the letters another government's demo wrote to this one do not count (delivered before or after)
        ours = db.session.execute(db.select(Letter.id).where(Letter.origin_tenant.is_(None)).limit(1)).first()
        made = 0 if ours else _each_state(tenant, cast)
        return made + _to_partner(tenant, cast)


def _cast(tenant) -> dict | None:
    """The demo's people as actors, their positions held (every time: applying the tenant file again
    leaves its positions without the demo's holders); None when someone is missing."""
    people = officials(tenant)
    if not people:
        return None
    first, second = _agencies(tenant)
    with tenant_scope(tenant):
        officer, staff = _user(f"officer@{tenant.slug}.test"), _user(f"staf@{tenant.slug}.test")
        staff2 = _user(f"{STAFF}.{second.code.lower()}@{tenant.slug}.test")
        held = {o["key"]: (o, _user(f"{o['login']}@{tenant.slug}.test")) for o in people}
        if None in (officer, staff, staff2) or any(user is None for _o, user in held.values()):
            return None
        for official, user in held.values():  # the heads, and the Kepala Daerah, Wakil and Sekda the settings name
            _position(tenant, official["unit"], official["code"], official["position"], official["head"], user.email,
                      acting=official["acting"])
        sek, name = _secretary(first)
        _position(tenant, first, sek, name, False, officer.email)
        db.session.flush()
    actors = {key: Actor.for_user(user, tenant) for key, (_o, user) in held.items()}
    return {"first": first, "second": second, "officer": officer, "sek": sek,
            "drafter": Actor.for_user(staff, tenant), "secretary": Actor.for_user(officer, tenant),
            "drafter2": Actor.for_user(staff2, tenant), "actors": actors,
            "leaders": {key: official["code"] for key, (official, _u) in held.items() if key in LEADERS}}


def _outgoing(tenant, cast, topic, classification="000.1.5", **over):
    """A draft of the first agency's drafter (``staf@``): the secretary's paraf, the head signs."""
    first, second = cast["first"], cast["second"]
    head = {"city": "Wali Kota", "regency": "Bupati"}.get(tenant.kind, "Kepala Daerah")
    values = dict(letter_type="SB", classification=classification, subject=topic[0].upper() + topic[1:],
                  body=BODY.format(topic=topic), unit=first.code, to_units=[second.code],
                  cc_external=[f"{head} {place(tenant)}"], verifiers=[cast["sek"]], signer=f"KADIS-{first.code}")
    values.update(over)
    return save_draft(tenant, cast["drafter"], Draft(**values))


def _signed_and_sent(tenant, cast, letter) -> None:
    drafter = cast["drafter"]
    submit(tenant, drafter, letter.id)
    verify(tenant, cast["secretary"], letter.id, 0)
    sign(tenant, cast["actors"]["kadis"], letter.id, 1)
    send(tenant, drafter, letter.id)


def _each_state(tenant, cast) -> int:
    """A letter in each state, between the first two agencies; returns how many letters there are."""
    first, second = cast["first"], cast["second"]
    drafter, secretary, head = cast["drafter"], cast["secretary"], cast["actors"]["kadis"]

    def outgoing(topic, classification="000.1.5", **over):
        return _outgoing(tenant, cast, topic, classification, **over)

    def incoming(topic, classification="600.4"):  # a nota dinas of the second agency, drafted by its officer
        staff2 = cast["drafter2"]
        letter = save_draft(tenant, staff2, Draft(
            letter_type="ND", classification=classification, subject=topic[0].upper() + topic[1:],
            body=BODY.format(topic=topic), unit=second.code, to_units=[first.code], signer=f"KADIS-{second.code}"))
        submit(tenant, staff2, letter.id)
        sign(tenant, cast["actors"]["kadis2"], letter.id, 0)
        send(tenant, staff2, letter.id)
        return letter

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
    _signed_and_sent(tenant, cast, outgoing("permintaan dukungan alat berat", security="terbatas"))  # to the second
    returned = outgoing("usulan perubahan standar operasional prosedur", classification="000.8.3.3")
    submit(tenant, drafter, returned.id)
    return_letter(tenant, secretary, returned.id, 0, "Lengkapi dasar hukum pada paragraf pertama.")
    incoming("perbaikan saluran drainase di Jalan Veteran")                          # unread incoming
    disposed = incoming("pembersihan sisa material proyek jalan")                    # disposed, overdue
    row = dispose(tenant, head, disposed.id, cast["officer"].id, "Koordinasikan dengan UPT kebersihan dan laporkan.")
    db.session.flush()
    overdue = local_date(tenant, utcnow()) - timedelta(days=2)  # (dispose refuses a past date) and its timeline says so
    db.session.execute(db.update(Disposition).where(Disposition.id == row.id).values(due_on=overdue))
    entry = db.session.execute(db.select(Event).where(Event.letter_id == disposed.id, Event.action == "disposed")
                               ).scalar_one()
    entry.data = {**entry.data, "due_on": overdue.isoformat()}
    company = f"PT Sinar Bersih {place(tenant)}"
    register(tenant, drafter, Incoming(                                            # registered from paper
        unit=first.code, sender=company, sender_number="021/SBM/XI/2026",
        subject="Permohonan kerja sama pengangkutan sampah pasar", letter_type="SB", classification="600.4",
        letter_date=local_date(tenant, utcnow()) - timedelta(days=3),
        scan=("surat-pt-sinar-bersih.pdf", scan_pdf([company.upper(), "Nomor: 021/SBM/XI/2026",
                                                     "Hal: Permohonan kerja sama pengangkutan sampah pasar"]))))
    kepala, sekda = cast["leaders"].get("kepala_daerah_position"), cast["leaders"].get("sekretaris_daerah_position")
    if kepala:  # a surat edaran of the Kepala Daerah, the Sekda's paraf first when there is one
        edaran = outgoing("pengurangan sampah plastik di lingkungan perangkat daerah", "100.3.4", letter_type="SE",
                          to_units=[first.code, second.code], cc_external=[], verifiers=[sekda] if sekda else [],
                          signer=kepala)
        submit(tenant, drafter, edaran.id)
        if sekda:
            verify(tenant, cast["actors"]["sekretaris_daerah_position"], edaran.id, 0)
        sign(tenant, cast["actors"]["kepala_daerah_position"], edaran.id, 1 if sekda else 0)
        send(tenant, drafter, edaran.id)
    return db.session.execute(db.select(db.func.count(Letter.id)).where(Letter.origin_tenant.is_(None))).scalar()


def _to_partner(tenant, cast) -> int:
    """The first agency's letter to the partner government (``PARTNERS``), signed and posted, when
    the partner is in the deployment and receives e-office letters and none was written to it yet."""
    from core.kit import Tenant, enabled_modules

    partner = PARTNERS.get(tenant.slug)
    other = partner and db.session.execute(db.select(Tenant).where(Tenant.slug == partner[0])).scalar_one_or_none()
    if not other or "eoffice" not in enabled_modules(other) or db.session.execute(
            db.select(Recipient.id).where(Recipient.tenant_slug == other.slug).limit(1)).first():
        return 0
    slug, subject, classification = partner
    _signed_and_sent(tenant, cast, _outgoing(tenant, cast, subject[0].lower() + subject[1:], classification,
                                              to_units=[], cc_external=[], to_tenants=[slug]))
    return 1
