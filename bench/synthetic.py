"""552 synthetic tenants shaped like Indonesia's regional governments: 38 provinces (real names and
time zones), 416 regencies and 98 cities under them. Each carries a small organisation (agencies,
districts and villages) so onboarding does the work a real tenant file asks for."""
from __future__ import annotations

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"

PROVINCES = [  # (slug, name, zone)
    ("aceh", "Aceh", WIB), ("sumut", "Sumatera Utara", WIB), ("sumbar", "Sumatera Barat", WIB),
    ("riau", "Riau", WIB), ("kepri", "Kepulauan Riau", WIB), ("jambi", "Jambi", WIB),
    ("bengkulu", "Bengkulu", WIB), ("sumsel", "Sumatera Selatan", WIB), ("babel", "Kepulauan Bangka Belitung", WIB),
    ("lampung", "Lampung", WIB), ("banten", "Banten", WIB), ("dki", "DKI Jakarta", WIB),
    ("jabar", "Jawa Barat", WIB), ("jateng", "Jawa Tengah", WIB), ("diy", "DI Yogyakarta", WIB),
    ("jatim", "Jawa Timur", WIB), ("kalbar", "Kalimantan Barat", WIB), ("kalteng", "Kalimantan Tengah", WIB),
    ("bali", "Bali", WITA), ("ntb", "Nusa Tenggara Barat", WITA), ("ntt", "Nusa Tenggara Timur", WITA),
    ("kalsel", "Kalimantan Selatan", WITA), ("kaltim", "Kalimantan Timur", WITA), ("kaltara", "Kalimantan Utara", WITA),
    ("sulut", "Sulawesi Utara", WITA), ("gorontalo", "Gorontalo", WITA), ("sulteng", "Sulawesi Tengah", WITA),
    ("sulbar", "Sulawesi Barat", WITA), ("sulsel", "Sulawesi Selatan", WITA), ("sultra", "Sulawesi Tenggara", WITA),
    ("maluku", "Maluku", WIT), ("malut", "Maluku Utara", WIT), ("papua", "Papua", WIT),
    ("papbar", "Papua Barat", WIT), ("papsel", "Papua Selatan", WIT), ("papteng", "Papua Tengah", WIT),
    ("pappeg", "Papua Pegunungan", WIT), ("papbd", "Papua Barat Daya", WIT),
]
REGENCIES, CITIES = 416, 98
AGENCIES = [("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"), ("DINKES", "Dinas Kesehatan"),
            ("DLH", "Dinas Lingkungan Hidup"), ("DPMPTSP", "Dinas Penanaman Modal dan PTSP")]
DISTRICTS, VILLAGES = 3, 3  # per tenant, per district


def domain(slug: str) -> str:
    return f"{slug}.bench.test"


def _doc(slug, name, kind, zone, parent, modules, colour) -> dict:
    districts = [
        {"code": f"K{d:02d}", "name": f"Kecamatan {d} {name}",
         "villages": [{"code": f"K{d:02d}{v:02d}", "name": f"Kelurahan {v} Kecamatan {d}"} for v in range(1, VILLAGES + 1)]}
        for d in range(1, DISTRICTS + 1)
    ]
    return {
        "slug": slug, "name": name, "kind": kind, "timezone": zone, "parent": parent,
        "domains": [domain(slug)], "locales": ["id", "en"],
        "branding": {"primary_color": colour, "tagline": f"Melayani warga {name}"},
        "agencies": [{"code": c, "name": n} for c, n in AGENCIES], "districts": districts,
        "modules": {m: {"enabled": True, "settings": {}} for m in modules},
    }


def tenant_docs(modules=()) -> list[dict]:
    """All 552 documents: the provinces first, then regencies and cities spread over them."""
    docs = [_doc(f"prov-{s}", f"Provinsi {n}", "province", z, "", modules, "#0b5394") for s, n, z in PROVINCES]
    children = [("regency", i) for i in range(1, REGENCIES + 1)] + [("city", i) for i in range(1, CITIES + 1)]
    for n, (kind, i) in enumerate(children):
        pslug, pname, zone = PROVINCES[n % len(PROVINCES)]
        slug = f"{'kab' if kind == 'regency' else 'kota'}-{i:03d}-{pslug}"
        name = f"{'Kabupaten' if kind == 'regency' else 'Kota'} Sintetis {i} ({pname})"
        docs.append(_doc(slug, name, kind, zone, f"prov-{pslug}", modules, f"#{(n * 2654435761) % 0xFFFFFF:06x}"))
    return docs


def first_four(docs: list[dict]) -> list[dict]:
    """A province, a regency and a city under it, and one more province (4 tenants)."""
    province = docs[0]
    kids = [d for d in docs if d["parent"] == province["slug"]]
    regency = next(d for d in kids if d["kind"] == "regency")
    city = next(d for d in kids if d["kind"] == "city")
    return [province, regency, city, docs[1]]


if __name__ == "__main__":
    all_docs = tenant_docs()
    kinds = [d["kind"] for d in all_docs]
    print(len(all_docs), {k: kinds.count(k) for k in ("province", "regency", "city")})
