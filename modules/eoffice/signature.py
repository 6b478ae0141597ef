"""The signature block of a letter (Permendagri 1/2023 on tata naskah dinas, on signing by
someone other than the official himself):

- *a.n.* (atas nama): the signer signs on behalf of a higher official, named first:
  ``a.n. Wali Kota Makassar`` / ``Sekretaris Daerah,``;
- *u.b.* (untuk beliau): one level further down, under the a.n. official's delegate:
  ``a.n. Wali Kota Makassar`` / ``Sekretaris Daerah`` / ``u.b.`` / ``Kepala Bagian Umum,``;
- *Plt.* (pelaksana tugas): an acting holder of the signing position puts ``Plt.`` before it.

Under the signature, the signer's name, pangkat/golongan and NIP as Permendagri 1/2023 Pasal 44
says (``identity``): officials sign with gelar, NIP and pangkat/golongan (3); the Kepala Daerah,
the Wakil Kepala Daerah and the Sekretaris Daerah without any of them (3), and so do the Pj., Pjs.,
Plt. and Plh. of a Kepala Daerah (4) and the Pj. and Plh. of a Sekretaris Daerah (5); a naskah
dinas pengaturan or penetapan (the ``surat_keputusan`` layout) names its signer without gelar (1).
Which positions are the Kepala Daerah's, the Wakil's and the Sekda's: the module's settings
(``ROLE_SETTINGS``).
"""
from __future__ import annotations

from core.kit import ValidationError, lazy_gettext as _l


# an acting holder's abbreviation before the position (Pasal 44 names Plt., Plh., Pj. and Pjs.)
ACTING = {"plt": "Plt.", "plh": "Plh.", "pj": "Pj.", "pjs": "Pjs."}


def acting_kind(acting) -> str | None:
    """``plt`` / ``plh`` / ``pj`` / ``pjs`` for an acting holding (True, from before kinds, is ``plt``), None
    for a definitive one."""
    if not acting:
        return None
    return acting if acting in ACTING else "plt"


def acting_of(lines: list[str]) -> str | None:
    """The acting kind a stored block was written with (its last line's abbreviation), or None."""
    last = (lines or [""])[-1]
    return next((kind for kind, abbr in ACTING.items() if last.startswith(abbr + " ")), None)


def block(position: str, *, acting: bool | str = False, on_behalf: str = "", via: str = "") -> list[str]:
    """The lines above the signature, top to bottom; the last one ends with a comma.

    ``position``: the signer's position name; ``acting``: the signer holds it as acting holder
    (``plt``, ``plh``, ``pj``; True is ``plt``): its abbreviation comes before the position;
    ``on_behalf``: the official signed for (a.n.); ``via``: the delegate's position the signer
    signs under (u.b.), which needs ``on_behalf``."""
    position, on_behalf, via = (position or "").strip(), (on_behalf or "").strip(), (via or "").strip()
    if not position:
        raise ValidationError(_l("The signer's position is missing."), where="signer")
    if via and not on_behalf:
        raise ValidationError(_l("u.b. needs a.n.: name the official signed for."), where="via")
    lines = []
    if on_behalf:
        lines.append(f"a.n. {on_behalf}")
    if via:
        lines += [via, "u.b."]
    kind = acting_kind(acting)
    lines.append(f"{ACTING[kind] + ' ' if kind else ''}{position},")
    return lines


KEPALA_DAERAH, WAKIL, SEKDA = "kepala_daerah", "wakil_kepala_daerah", "sekretaris_daerah"
# the setting naming each role's position (a position code of the tenant, checked where written)
ROLE_SETTINGS = {KEPALA_DAERAH: "kepala_daerah_position", WAKIL: "wakil_kepala_daerah_position",
                 SEKDA: "sekretaris_daerah_position"}
UNTITLED_LAYOUTS = ("surat_keputusan",)  # naskah dinas penetapan (Pasal 44(1)): the name without gelar


def role_of(settings: dict, code: str) -> str | None:
    """``kepala_daerah``, ``wakil_kepala_daerah`` or ``sekretaris_daerah`` when position ``code``
    is the one the settings name for it; None for any other position."""
    return next((role for role, key in ROLE_SETTINGS.items() if code and settings.get(key) == code), None)


def bare(role: str | None, acting: str | None) -> bool:
    """Whether the signer signs without gelar, NIP and pangkat/golongan (Pasal 44(3)-(5)):
    ``role`` of the signing position, ``acting`` the kind of acting holding (``plt``, ``plh``,
    ``pj``) or None for the definitive holder."""
    if role == KEPALA_DAERAH:
        return True  # the Kepala Daerah, and their Pj., Pjs., Plt. and Plh. (4)
    if role == WAKIL:
        return acting is None  # an acting Wakil is not named by (3)-(5): an official like others
    if role == SEKDA:
        return acting in (None, "pj", "plh")  # the Sekda (3), their Pj. and Plh. (5); a Plt. or Pjs. Sekda is not named
    return False


def identity(official: dict, *, layout: str, role: str | None = None, acting: str | None = None) -> dict:
    """What the block prints under the signature: ``{"name", "nip", "rank"}`` (None: no line)
    from ``official`` (``core.kit.official_identity``: ``name``, ``titled_name``, ``nip``,
    ``rank``) for a letter of ``layout`` signed from a position of ``role`` held as ``acting``."""
    without = bare(role, acting)
    titled = official.get("titled_name") or official.get("name") or ""
    name = (official.get("name") or titled) if without or layout in UNTITLED_LAYOUTS else titled
    return {"name": name, "nip": None if without else official.get("nip"),
            "rank": None if without else official.get("rank")}


def issuer(lines: list[str]) -> str:
    """Whose decision a keputusan is, as its title names it ("KEPUTUSAN WALI KOTA MAKASSAR"): the
    official signed for (a.n.) if any, else the signing position without an acting abbreviation."""
    lines = [line.strip() for line in lines or [] if line.strip()]
    if not lines:
        return ""
    if lines[0].startswith("a.n. "):
        return lines[0][len("a.n. "):].rstrip(",")
    last = lines[-1].rstrip(",")
    for abbr in ACTING.values():
        if last.startswith(abbr + " "):
            return last[len(abbr) + 1:]
    return last


def kop_official(lines: list[str], role: str | None) -> str:
    """The kop of a letter the Kepala Daerah signs himself (the signing position is the one
    ``kepala_daerah_position`` names, held definitively or acting, and no a.n.): the position's
    name ("Wali Kota Makassar", printed in capitals) instead of "Pemerintah <tenant>" and the
    issuing unit, as regional tata naskah dinas guides print the kop of the Kepala Daerah's office
    (secondary sources, README "Layouts"; the emblem those guides put there, the national one, is
    the setting ``kop_emblem_kepala_daerah``, else the tenant's logo). Empty for every other letter."""
    if role != KEPALA_DAERAH or any(line.strip().startswith("a.n. ") for line in lines or []):
        return ""
    return issuer(lines)


def one_line(lines: list[str]) -> str:
    """The block as one line (the document register's ``signer_position``, at most 200 chars)."""
    return " ".join(line.rstrip(",") for line in lines)[:200]
