"""QRIS payloads: the EMVCo merchant-presented QR code (EMV QRCPS-MPM v1.1) with Bank Indonesia's
national template (QRIS, PADG 21/18/PADG/2019 and its technical standard by ASPI).

Each field is ID (2 digits) + length (2 digits) + value. What this module writes, in order:

- ``00`` payload format "01"; ``01`` point of initiation "11" (static) or "12" (dynamic);
- ``26`` merchant account information of the acquirer (``00`` its reverse domain, ``01`` the
  merchant PAN, ``02`` the merchant id, ``03`` the merchant criteria);
- ``51`` the national template (``00`` "ID.CO.QRIS.WWW", ``02`` the NMID, ``03`` the criteria);
- ``52`` merchant category code (ISO 18245), ``53`` currency "360" (rupiah, ISO 4217),
  ``54`` the amount (dynamic only: integer rupiah), ``58`` "ID", ``59`` name (25), ``60`` city (15);
- ``62`` additional data (``01`` bill number, ``07`` terminal label) when given;
- ``63`` the CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of everything before its
  value, "6304" included, as four upper-case hex digits.
"""
from __future__ import annotations

import binascii
import re

from core.kit import ValidationError, documents, gettext as _

NATIONAL_DOMAIN = "ID.CO.QRIS.WWW"
CRITERIA = ("UMI", "UKE", "UME", "UBE", "URE")  # micro, small, medium, large, regular (BI)
_AMOUNT = re.compile(r"[1-9][0-9]{0,12}")
_TEXT = re.compile(r"[ -~]*")  # EMVCo: the "ans" character set (printable ASCII)


class QrisError(ValidationError):
    code = "qris_invalid"


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise QrisError(_("This value is too long for a QRIS field."), where=tag, code="qris_invalid")
    if not _TEXT.fullmatch(value):
        raise QrisError(_("QRIS fields take printable ASCII characters only."), where=tag, code="qris_invalid")
    return f"{tag}{len(value):02d}{value}"


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of ``data`` (ASCII) as four upper-case hex digits."""
    return f"{binascii.crc_hqx(data.encode('ascii'), 0xFFFF):04X}"


def parse_amount(value) -> int:
    """An amount for a dynamic QRIS: a positive whole number of rupiah (int, or digits only as text,
    as tag 54 writes them: no sign, no space, no leading zero). Anything else (negative, fractional,
    '1e3', '12.50', ' 5', '05', bool) raises ``QrisError`` (code ``amount_invalid``, where ``amount``)."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int) and value > 0:
        value = str(value)
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
        raise QrisError(_("The amount must be a whole number of rupiah above zero."), where="amount",
                        code="amount_invalid")
    return int(value)


def has_qris(merchant: dict) -> bool:
    """Whether the merchant can show a QRIS: only with the NMID its acquirer registered (a code
    with a made-up one would take money for nobody)."""
    return bool(merchant.get("nmid"))


def payload(merchant: dict, *, acquirer: str, amount: int | None = None, bill: str = "",
            terminal: str = "") -> str:
    """The QRIS text for ``merchant`` (a settings entry: ``nmid``, ``pan``, ``name``, ``city``,
    ``mcc``, ``criteria``); with ``amount`` (rupiah) a dynamic code, else a static one. A merchant
    without an NMID raises ``QrisError`` (code ``qris_unavailable``, where ``merchant``)."""
    if not has_qris(merchant):
        raise QrisError(_("This merchant or service point has no QRIS: its settings give no NMID."),
                        where="merchant", code="qris_unavailable")
    account = (_field("00", acquirer) + _field("01", merchant.get("pan") or merchant["nmid"])
               + _field("02", merchant["code"].upper()) + _field("03", merchant.get("criteria", "UMI")))
    national = _field("00", NATIONAL_DOMAIN) + _field("02", merchant["nmid"]) + _field("03", merchant.get("criteria", "UMI"))
    parts = [_field("00", "01"), _field("01", "11" if amount is None else "12"), _field("26", account),
             _field("51", national), _field("52", merchant.get("mcc", "5999")), _field("53", "360")]
    if amount is not None:
        parts.append(_field("54", str(parse_amount(amount))))
    parts += [_field("58", "ID"), _field("59", merchant["name"][:25]), _field("60", merchant.get("city", "")[:15])]
    extra = (_field("01", bill) if bill else "") + (_field("07", terminal) if terminal else "")
    if extra:
        parts.append(_field("62", extra))
    body = "".join(parts) + "6304"
    return body + crc16(body)


def svg(text: str, scale: int = 4) -> bytes:
    """The QR code of ``text`` as SVG, error correction M as QRIS asks (the core's ``documents.qr_svg``)."""
    return documents.qr_svg(text, scale=scale, error="m")
