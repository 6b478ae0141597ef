"""The archive classification codes (Klasifikasi Arsip, KKA) every tenant starts from: a subset of
the codes for regional governments annexed to Permendagri 83/2022 (Kode Klasifikasi Arsip di
Lingkungan Kementerian Dalam Negeri dan Pemerintah Daerah, part B: Pemerintah Daerah), with a
retention schedule (Jadwal Retensi Arsip, JRA: active years, inactive years, then ``permanen``
(kept, handed to the archive) or ``musnah`` (destroyed after review)). A tenant adds its own codes
under these in its settings (``classifications``); a code's parent is the code without its last
``.part``.

Source of the codes and names (checked 2026-12-01): the regulation's annex as transcribed in public
classification tables (e.g. the ``013_reset_klasifikasi_permendagri83_pemda.sql`` seed of
github.com/benfrizsmalau/e_arsip, "bagian B"), not the gazetted PDF itself, which was not at hand:
000.1.6 is *Penyediaan Konsumsi* (meetings are 000.1.5 *Rapat Pimpinan*), 000.8.3
*Ketatalaksanaan*, 800.1.11 *Administrasi Pegawai* (leave, cards), 900.1 *Keuangan Daerah*.

Retention (JRA) — checked 2026-12-01, none confirmed. Permendagri 83/2022 gives the codes only;
a regional government's retention schedule is its own regulation (a governor's or regent's
*Peraturan Kepala Daerah* on its JRA fasilitatif and substantif, drawn up under UU 43/2009 art. 48,
PP 28/2012 and Permendagri 78/2012 on tata kearsipan, and approved by ANRI). No such schedule for
a regional government could be read here: the searches of the project's stored public references
(official-document mirrors, code seeds) found the titles of such regulations (e.g. Pergub Jawa Barat 75/2020, JRA fasilitatif,
peraturan.bpk.go.id/Details/173795) but not their tables, and an official fasilitatif JRA of
*another* creator (Permenkumham 54/2016, annex I, for the Ministry of Law and Human Rights: e.g.
organisation and procedures "selama berlaku + 5 tahun, permanen", staff meetings 1 + 1 years,
musnah), which is not a regional government's and so confirms none of the figures below. The
figures are therefore the usual ones for each series (2 active + 3 inactive for routine
administration, longer and ``permanen`` for policy, organisation, planning, law and archives) and
are shown to the records unit as *not confirmed* (``settings.classifications``: ``confirmed``
False) until the tenant sets its own (``classifications`` in its settings, from its JRA).
"""
from __future__ import annotations

import re

CODE = re.compile(r"^[0-9]{3}(\.[0-9]{1,3}){0,4}$")
FINAL = ("permanen", "musnah")

# (code, name, active years, inactive years, final disposition)
DEFAULT = [
    ("000", "Umum", 2, 3, "musnah"),
    ("000.1", "Ketatausahaan dan Kerumahtanggaan", 2, 3, "musnah"),
    ("000.1.1", "Telekomunikasi", 1, 1, "musnah"),
    ("000.1.2", "Perjalanan Dinas Dalam Negeri", 2, 3, "musnah"),
    ("000.1.5", "Rapat Pimpinan (Notula/Risalah Rapat)", 2, 3, "musnah"),
    ("000.1.6", "Penyediaan Konsumsi", 2, 3, "musnah"),
    ("000.2", "Perlengkapan", 2, 3, "musnah"),
    ("000.3", "Pengadaan", 2, 8, "musnah"),
    ("000.4", "Perpustakaan", 2, 3, "musnah"),
    ("000.5", "Kearsipan", 2, 8, "permanen"),
    ("000.6", "Persandian", 2, 3, "musnah"),
    ("000.7", "Perencanaan Pembangunan", 2, 8, "permanen"),
    ("000.8", "Organisasi dan Tata Laksana", 2, 8, "permanen"),
    ("000.8.3", "Ketatalaksanaan", 2, 8, "permanen"),
    ("000.8.3.3", "Standar Operasional Prosedur", 2, 8, "permanen"),
    ("000.9", "Penelitian, Pengkajian, dan Pengembangan", 2, 3, "permanen"),
    ("100", "Pemerintahan", 2, 3, "musnah"),
    ("100.1", "Otonomi Daerah", 2, 8, "permanen"),
    ("100.2", "Pemerintahan Umum", 2, 3, "musnah"),
    ("100.3", "Hukum", 2, 8, "permanen"),
    ("100.3.3", "Keputusan/Ketetapan Pimpinan Pemerintah", 2, 8, "permanen"),
    ("100.3.4", "Instruksi/Surat Edaran", 2, 8, "permanen"),
    ("200", "Politik", 2, 3, "musnah"),
    ("300", "Keamanan dan Ketertiban", 2, 3, "musnah"),
    ("400", "Kesejahteraan Rakyat", 2, 3, "musnah"),
    ("400.3", "Pendidikan", 2, 3, "musnah"),
    ("400.7", "Kesehatan", 2, 3, "musnah"),
    ("400.14", "Hubungan Masyarakat", 2, 3, "musnah"),
    ("500", "Perekonomian", 2, 3, "musnah"),
    ("600", "Pekerjaan Umum dan Ketenagaan", 2, 8, "musnah"),
    ("600.1", "Pekerjaan Umum", 2, 8, "musnah"),
    ("600.4", "Lingkungan Hidup", 2, 8, "permanen"),
    ("700", "Pengawasan", 2, 8, "permanen"),
    ("800", "Kepegawaian", 2, 3, "musnah"),
    ("800.1", "Sumber Daya Manusia", 2, 3, "musnah"),
    ("800.1.11", "Administrasi Pegawai", 1, 2, "musnah"),
    ("900", "Keuangan", 2, 8, "musnah"),
    ("900.1", "Keuangan Daerah", 2, 8, "permanen"),
]


def parent_of(code: str) -> str | None:
    """``"000.8.3.3"`` -> ``"000.8.3"``; a primary class (``"000"``) has none."""
    return code.rsplit(".", 1)[0] if "." in code else None


def default_entries() -> list[dict]:
    return [{"code": c, "name": n, "active_years": a, "inactive_years": i, "final": f} for c, n, a, i, f in DEFAULT]
