"""The signature block of a letter (Permendagri 1/2023 on tata naskah dinas, on signing by
someone other than the official himself):

- *a.n.* (atas nama): the signer signs on behalf of a higher official, named first:
  ``a.n. Wali Kota Makassar`` / ``Sekretaris Daerah,``;
- *u.b.* (untuk beliau): one level further down, under the a.n. official's delegate:
  ``a.n. Wali Kota Makassar`` / ``Sekretaris Daerah`` / ``u.b.`` / ``Kepala Bagian Umum,``;
- *Plt.* (pelaksana tugas): an acting holder of the signing position puts ``Plt.`` before it.
"""
from __future__ import annotations

from core.kit import ValidationError, lazy_gettext as _l


def block(position: str, *, acting: bool = False, on_behalf: str = "", via: str = "") -> list[str]:
    """The lines above the signature, top to bottom; the last one ends with a comma.

    ``position``: the signer's position name; ``acting``: the signer holds it as Plt.;
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
    lines.append(f"{'Plt. ' if acting else ''}{position},")
    return lines


def one_line(lines: list[str]) -> str:
    """The block as one line (the document register's ``signer_position``, at most 200 chars)."""
    return " ".join(line.rstrip(",") for line in lines)[:200]
