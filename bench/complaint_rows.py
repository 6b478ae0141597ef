"""Synthetic complaints for ``bench/complaints.py``, written by PostgreSQL itself (one
``INSERT ... SELECT ... FROM generate_series``) as the database owner, then ``VACUUM ANALYZE``.

Shape: one tenant holds a tenth of the rows (every tenth row), the rest spread evenly over the
other tenants, interleaved as in production (rows are inserted in filing order, so ids follow time;
filed over ``days`` days, newest last); numbers are gap-free per tenant and local year, as the module
issues them; categories, channels and statuses follow fixed shares, and status follows age (old
complaints are mostly closed, recent ones mostly open); 60% of the filers left a name and a phone
number (real Fernet ciphertext and keyed hashes, from a small pool). Every ``tenant_id`` is a real
tenant and every agency, district and village is that tenant's own.
Complaint events and photos are not generated: none of the measured lists reads them. The keyword
search's word index (``complaint_words``) is filled for every row (``fill_words``): each description's
words as ``modules/complaints/words.py`` splits them, and the number's parts, then ``VACUUM ANALYZE``.
"""
from __future__ import annotations

import time

# (code, Indonesian name, English name, agency code, resolution days, share of complaints)
CATEGORIES = [
    ("SAMPAH", "Sampah", "Rubbish", "DLH", 7, 0.25),
    ("JALAN", "Jalan rusak", "Damaged road", "PU", 30, 0.20),
    ("DRAINASE", "Saluran air tersumbat", "Blocked drain", "PU", 14, 0.12),
    ("LAMPU", "Lampu jalan mati", "Street light out", "DISHUB", 7, 0.10),
    ("KTP", "Layanan KTP dan KK", "Identity cards", "DISDUKCAPIL", 14, 0.10),
    ("PUSKESMAS", "Layanan puskesmas", "Health centre", "DINKES", 14, 0.08),
    ("POHON", "Pohon tumbang", "Fallen tree", "DLH", 3, 0.05),
    ("IZIN", "Perizinan", "Permits", "DPMPTSP", 30, 0.05),
    ("LAINNYA", "Lainnya", "Other", "DLH", 14, 0.05),
]
EXTRA_AGENCIES = [{"code": "PU", "name": "Dinas Pekerjaan Umum"}, {"code": "DISHUB", "name": "Dinas Perhubungan"}]
CHANNELS = [("portal", 0.50), ("sms", 0.25), ("social", 0.10), ("hotline", 0.10), ("open311", 0.05)]
# status shares by age: (older than N days, [(status, cumulative share)])
STATUS_BY_AGE = [
    (60, [("closed", .70), ("resolved", .85), ("rejected", .95), ("in_progress", 1)]),
    (14, [("closed", .35), ("resolved", .65), ("rejected", .73), ("in_progress", .88), ("assigned", .95),
          ("verified", 1)]),
    (0, [("submitted", .30), ("verified", .45), ("assigned", .60), ("in_progress", .80), ("resolved", .92),
         ("rejected", .96), ("closed", 1)]),
]
DESCRIPTIONS = [
    "Sampah menumpuk di depan pasar sejak tiga hari, baunya menyengat.",
    "Jalan berlubang besar, sudah dua pengendara motor jatuh minggu ini.",
    "Saluran air tersumbat, air meluap ke rumah warga setiap hujan.",
    "Lampu jalan mati sepanjang gang, rawan pencurian pada malam hari.",
    "Antrean KTP elektronik sangat panjang dan blangko sering habis.",
    "Petugas puskesmas datang terlambat, pasien menunggu lebih dari dua jam.",
    "Pohon besar condong ke kabel listrik setelah angin kencang.",
    "Pengurusan izin usaha tidak selesai padahal berkas sudah lengkap.",
    "Truk sampah tidak lewat sejak minggu lalu, warga membakar sampah.",
    "Trotoar rusak dan dipakai parkir, pejalan kaki terpaksa turun ke jalan.",
    "Genangan air di perempatan tidak surut berhari-hari.",
    "Tolong hubungi saya di 0812 3456 7890, masalah belum juga ditangani.",
]
STREETS = ["Rajawali", "Cendrawasih", "Veteran", "Sudirman", "Pettarani", "Urip Sumoharjo", "Perintis",
           "Sultan Alauddin", "Andi Djemma", "Landak Baru"]
FILER_POOL = 100  # distinct encrypted (name, phone) pairs


def category_settings() -> list[dict]:
    return [{"code": c, "name_id": i, "name_en": e, "agency": a, "resolution_days": d}
            for c, i, e, a, d, _ in CATEGORIES]


def _pick(shares: list[tuple[str, float]], var: str, cumulative: bool = False) -> str:
    """A CASE choosing a value by the uniform random column ``var``."""
    parts, total = [], 0.0
    for value, share in shares:
        total = share if cumulative else total + share
        parts.append(f"WHEN {var} < {total:.6f} THEN '{value}'")
    return f"(CASE {' '.join(parts[:-1])} ELSE '{shares[-1][0]}' END)"


def _category_index() -> str:
    parts, total = [], 0.0
    for n, (*_, share) in enumerate(CATEGORIES[:-1]):
        total += share
        parts.append(f"WHEN r_cat < {total:.6f} THEN {n}")
    return f"(CASE {' '.join(parts)} ELSE {len(CATEGORIES) - 1} END)"


def _status() -> str:
    arms = [f"WHEN age_days > {days} THEN {_pick(shares, 'r_status', cumulative=True)}"
            for days, shares in STATUS_BY_AGE[:-1]]
    return f"(CASE {' '.join(arms)} ELSE {_pick(STATUS_BY_AGE[-1][1], 'r_status', cumulative=True)} END)"


def _array(values: list[str]) -> str:
    return "(ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "])"


# The columns written; others get the model's scalar default (extra_columns) or stay NULL.
INSERT = """
INSERT INTO complaints (
  tenant_id, number, year, seq, token, access_key_hash, category_code, agency_id, district_id, village_id,
  description, address, latitude, longitude, attributes, media_url, channel, source_ref, filer_user_id,
  filer_name, filer_phone, filer_email, filer_phone_hash, filer_email_hash, notify_by, status, status_note,
  assignee_id, created_at, updated_at, responded_at, resolved_at, closed_at, response_due_at,
  resolution_due_at, resolved_within_target, escalation_level, escalated_at, reopen_count)
SELECT tenant_id, prefix || '-' || year || '-' || lpad(seq::text, 6, '0'), year, seq,
  md5(tenant_id || ':' || g), '', code, agency_id, district_id, village_id,
  {descriptions}[1 + (g % {n_descriptions})],
  'Jl. ' || {streets}[1 + (g % {n_streets})] || ' No. ' || (1 + g % 250),
  CASE WHEN r_geo < 0.7 THEN -5.2 + r_geo * 0.15 END, CASE WHEN r_geo < 0.7 THEN 119.38 + r_place * 0.12 END,
  '{{}}', '', channel, NULL, NULL,
  f.name, f.phone, NULL, coalesce(f.phone_hash, ''), '', CASE WHEN f.phone IS NOT NULL THEN 'sms' ELSE '' END,
  status, CASE status WHEN 'resolved' THEN 'Sudah ditangani petugas di lokasi.'
                      WHEN 'closed' THEN 'Sudah ditangani petugas di lokasi.'
                      WHEN 'rejected' THEN 'Bukan kewenangan pemerintah kota.' ELSE '' END,
  NULL, created, greatest(created, responded, resolved, closed), responded, resolved, closed,
  created + interval '3 days', created + days * interval '1 day',
  CASE WHEN resolved IS NOT NULL THEN resolved <= created + days * interval '1 day' END,
  CASE WHEN status IN ('submitted', 'verified', 'assigned', 'in_progress')
       AND created + days * interval '1 day' < now() THEN 1 + (g % 2) ELSE 0 END,
  NULL, 0
FROM (
  SELECT y.*,
    CASE WHEN status <> 'submitted' THEN least(now(), created + r_resp * interval '3 days') END AS responded,
    CASE WHEN status IN ('resolved', 'closed')
         THEN least(now(), created + (0.2 + r_res * 1.3) * days * interval '1 day') END AS resolved,
    CASE WHEN status = 'closed' THEN least(now(), created + (0.2 + r_res * 1.3) * days * interval '1 day'
                                                     + interval '7 days')
         WHEN status = 'rejected' THEN least(now(), created + r_resp * interval '3 days') END AS closed
  FROM (
    SELECT w.*, c.code, c.agency_id, c.days, p.district_id, p.village_id,
      {status} AS status, {channel} AS channel
    FROM (
      SELECT x.*, row_number() OVER (PARTITION BY tenant_id, year ORDER BY g) AS seq
      FROM (
        SELECT s.*, t.tenant_id, t.prefix, extract(year FROM created AT TIME ZONE t.zone)::int AS year,
          extract(epoch FROM now() - created) / 86400 AS age_days
        FROM (
          SELECT g, CASE WHEN g % 10 = 0 OR {others} = 0 THEN 0 ELSE 1 + (g * 2654435761) % {others} END AS tidx,
            random() AS r_cat, random() AS r_place, random() AS r_geo, random() AS r_status, random() AS r_chan,
            random() AS r_filer, random() AS r_resp, random() AS r_res,
            now() - make_interval(days => {days}) * (1 - g::float8 / {rows}) AS created
          FROM generate_series(1, {rows}) AS g
        ) s
        JOIN bench_tenants t ON t.idx = s.tidx
      ) x
    ) w
    JOIN bench_categories c ON c.tenant_id = w.tenant_id AND c.idx = {category_index}
    LEFT JOIN bench_places p ON p.tenant_id = w.tenant_id AND p.idx = floor(w.r_place * 10)::int
  ) y
) z
LEFT JOIN bench_filers f ON z.r_filer < 0.6 AND f.idx = floor(z.r_filer / 0.6 * {filers})::int
ORDER BY g
"""

COUNTERS = """
INSERT INTO number_counters (tenant_id, scope, period, last_number)
SELECT tenant_id, '["complaints"]', year::text, max(seq) FROM complaints GROUP BY tenant_id, year
"""


def written_columns() -> set[str]:
    return {c.strip() for c in INSERT.split("(", 1)[1].split(")", 1)[0].split(",")}


def extra_columns(table) -> dict[str, object]:
    """Columns of ``table`` (the model's) this generator does not write that need a value: NOT NULL
    without a server default, filled with the model's own scalar default. Anything else is an error."""
    extra = {}
    for column in table.columns:
        if column.name in written_columns() or column.primary_key or column.nullable or column.server_default:
            continue
        if column.default is None or not column.default.is_scalar:
            raise SystemExit(f"error: bench/complaint_rows.py: complaints.{column.name} is NOT NULL without a "
                             "scalar default; teach the generator a value for it")
        extra[column.name] = column.default.arg
    return extra


def generate(engine, table, tenants: list, big, filers: list[tuple[str, str, str]], rows: int,
             days: int) -> float:
    """Write ``rows`` complaints over ``tenants`` (``big`` gets every tenth); returns seconds.

    ``table``: the model's table (for the columns added since this was written);
    ``tenants``: [(tenant_id, number prefix, {agency code: id}, [(district_id, village_id)], time zone)];
    ``filers``: [(encrypted name, encrypted phone, phone keyed hash)].
    """
    from sqlalchemy import text

    start = time.perf_counter()
    ordered = [big] + [t for t in tenants if t is not big]
    extra = extra_columns(table)
    insert = INSERT.replace("reopen_count)", "reopen_count" + "".join(f", {c}" for c in extra) + ")", 1)
    insert = insert.replace("NULL, 0\nFROM (", "NULL, 0" + "".join(f", :x_{c}" for c in extra) + "\nFROM (", 1)
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE bench_tenants (idx int PRIMARY KEY, tenant_id int, prefix text, "
                          "zone text) ON COMMIT DROP"))
        conn.execute(text("CREATE TEMP TABLE bench_categories (tenant_id int, idx int, code text, agency_id int, "
                          "days int, PRIMARY KEY (tenant_id, idx)) ON COMMIT DROP"))
        conn.execute(text("CREATE TEMP TABLE bench_places (tenant_id int, idx int, district_id int, "
                          "village_id int, PRIMARY KEY (tenant_id, idx)) ON COMMIT DROP"))
        conn.execute(text("CREATE TEMP TABLE bench_filers (idx int PRIMARY KEY, name text, phone text, "
                          "phone_hash text) ON COMMIT DROP"))
        conn.execute(text("INSERT INTO bench_tenants VALUES (:i, :t, :p, :z)"),
                     [{"i": i, "t": t[0], "p": t[1], "z": t[4]} for i, t in enumerate(ordered)])
        conn.execute(text("INSERT INTO bench_categories VALUES (:t, :i, :c, :a, :d)"), [
            {"t": t[0], "i": i, "c": code, "a": t[2][agency], "d": days_}
            for t in ordered for i, (code, _n, _e, agency, days_, _s) in enumerate(CATEGORIES)
        ])
        conn.execute(text("INSERT INTO bench_places VALUES (:t, :i, :d, :v)"), [  # idx 9: no place given
            {"t": t[0], "i": i, "d": d, "v": v} for t in ordered for i, (d, v) in enumerate(t[3][:9])
        ])
        conn.execute(text("INSERT INTO bench_filers VALUES (:i, :n, :p, :h)"),
                     [{"i": i, "n": n, "p": p, "h": h} for i, (n, p, h) in enumerate(filers)])
        conn.execute(text("SELECT setseed(0.42)"))
        conn.execute(text(insert.format(
            descriptions=_array(DESCRIPTIONS), n_descriptions=len(DESCRIPTIONS), streets=_array(STREETS),
            n_streets=len(STREETS), status=_status(), channel=_pick(CHANNELS, "r_chan"),
            category_index=_category_index(), others=len(ordered) - 1, days=int(days), rows=int(rows),
            filers=len(filers),
        )), {f"x_{c}": v for c, v in extra.items()})
        conn.execute(text(COUNTERS))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) complaints"))
        conn.execute(text("VACUUM (ANALYZE) number_counters"))
    return time.perf_counter() - start


WORDS = """
INSERT INTO complaint_words (tenant_id, complaint_id, word)
SELECT c.tenant_id, c.id, w.word FROM complaints c JOIN bench_words w ON w.description = c.description
UNION
SELECT c.tenant_id, c.id, lower(part) FROM complaints c,
  unnest(string_to_array(c.number, '-')) AS part WHERE length(part) >= 2
"""


def fill_words(engine) -> float:
    """The word index of every complaint written by ``generate`` (its description's words as
    ``words.words_of`` gives them, its number's parts); returns seconds."""
    from sqlalchemy import text

    from modules.complaints.words import words_of

    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE bench_words (description text, word text) ON COMMIT DROP"))
        conn.execute(text("INSERT INTO bench_words VALUES (:d, :w)"),
                     [{"d": d, "w": w} for d in DESCRIPTIONS for w in words_of("", d)])
        # the indexes built after the rows (much faster than kept up row by row; UNION keeps each
        # word once a complaint, as the unique index would)
        indexes = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'complaint_words' "
                                    "AND indexname LIKE ANY (ARRAY['uq_%', 'ix_%'])")).all()
        conn.execute(text("DROP INDEX " + ", ".join(f'"{name}"' for name, _ in indexes)))
        conn.execute(text(WORDS))
        for _name, definition in indexes:
            conn.execute(text(definition))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) complaint_words"))
    return time.perf_counter() - start
