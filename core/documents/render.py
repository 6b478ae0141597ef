"""HTML → PDF with WeasyPrint: a Jinja template on the tenant's letterhead (kop surat), in its
locale and time zone, with a QR code (segno) of the document's public verification URL.

Nothing is fetched while rendering: ``refuse_fetch`` answers every resource that is not an inline
``data:`` URL with an error (WeasyPrint then leaves it out), so an ``<img src="http://...">`` or a
``file:`` stylesheet in a template or in text a user typed stays inert. WeasyPrint runs no
JavaScript, so ``<script>`` is inert too. The logo is read from the deployment's static folder and
inlined as a ``data:`` URL.
"""
from __future__ import annotations

import base64
import mimetypes
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import current_app
from flask_babel import force_locale

from ..errors import ValidationError

ROOT = Path(__file__).resolve().parents[2]


def _weasyprint():
    """Import WeasyPrint without letting it change the process: its ``weasyprint.images`` sets
    Pillow's global ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` at import, which would make every
    other image check of the kit (complaints' photos) accept truncated files. The flag is put back;
    documents embed only images the kit made itself (the QR code, the tenant's logo)."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint
    import weasyprint.images  # noqa: F401  (the import that sets the flag)

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def refuse_fetch():
    """WeasyPrint's URL fetcher for documents: inline ``data:`` URLs only; anything else (http,
    https, file, ftp, ...) is refused before a connection or a file is opened."""
    _weasyprint()
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(scale=6, border=4)


IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
IMAGE_MAX = 2_000_000  # bytes


def static_image(rel: str, types=IMAGE_TYPES) -> tuple[Path, str]:
    """The file ``rel`` names under the deployment's static folder (a leading ``/`` or ``static/``
    ignored) and its MIME type, if it is an image of ``types`` of at most 2 MB; ValueError with a
    one-line reason otherwise (outside the folder, missing, too large, another type)."""
    static = Path(current_app.static_folder or ROOT / "core" / "static").resolve()
    path = (static / (rel or "").strip().lstrip("/").removeprefix("static/")).resolve()
    if static not in path.parents:
        raise ValueError(f"'{rel}' is not a file under the static folder")  # never the server's path
    if not path.is_file():
        raise ValueError(f"there is no file '{rel}' under the static folder")
    mime = mimetypes.guess_type(path.name)[0] or ""
    if mime not in types:
        kinds = ", ".join(t.split("/")[1].split("+")[0].upper() for t in types)
        raise ValueError(f"'{rel}' is not an image of the kinds allowed here ({kinds})")
    if path.stat().st_size > IMAGE_MAX:
        raise ValueError(f"'{rel}' is larger than {IMAGE_MAX // 1_000_000} MB")
    return path, mime


def image_data_uri(rel: str, types=IMAGE_TYPES) -> str:
    """The image ``rel`` names under the static folder (``static_image``) as a data URL, or "" when
    it is empty or not such an image (a document is never refused for its picture)."""
    if not (rel or "").strip():
        return ""
    try:
        path, mime = static_image(rel, types)
    except ValueError:
        return ""
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def logo_data_uri(tenant) -> str:
    """The tenant's logo (``branding.logo``, a path under the static folder) as a data URL, or ""."""
    return image_data_uri((tenant.branding or {}).get("logo") or "")


def letterhead(tenant) -> dict:
    """Kop surat: logo, name and address (``[extra] address``/``phone``/``email``/``website`` in the
    tenant's TOML), and the colours of its branding."""
    extra = tenant.extra or {}
    branding = tenant.branding or {}
    return {
        "name": tenant.name, "logo": logo_data_uri(tenant),
        "address": str(extra.get("address", "")), "phone": str(extra.get("phone", "")),
        "email": str(extra.get("email", "")), "website": str(extra.get("website", "")),
        "tagline": branding.get("tagline", ""), "primary_color": branding.get("primary_color", "#0b5394"),
    }


def render_html(tenant, template: str, context: dict, *, verification_url: str, number: str, subject: str,
                signer_name: str, signer_position: str, issued_at: datetime, locale: str | None = None) -> str:
    """The document's HTML, rendered in ``locale`` (None: the tenant's first locale) with dates in
    the tenant's time zone."""
    locale = locale or tenant.default_locale
    zone = ZoneInfo(tenant.timezone)
    local = issued_at.astimezone(zone)
    env = current_app.jinja_env
    try:
        tmpl = env.get_template(template)
    except Exception as exc:  # noqa: BLE001 - TemplateNotFound, TemplateSyntaxError
        raise ValidationError(f"cannot load template '{template}': {type(exc).__name__}", where="template") from None
    values = {
        **context, "tenant": tenant, "kop": letterhead(tenant), "number": number, "subject": subject,
        "signer_name": signer_name, "signer_position": signer_position,
        "verification_url": verification_url, "qr": qr_data_uri(verification_url),
        "issued_date": format_date(local.date(), "long", locale=locale),
        "issued_at_local": format_datetime(local, "medium", tzinfo=zone, locale=locale),
        "locale": locale,
    }
    with force_locale(locale):
        return tmpl.render(**values)


def html_to_pdf(html: str) -> bytes:
    HTML = _weasyprint().HTML

    return HTML(string=html, base_url="data:,", url_fetcher=refuse_fetch()).write_pdf()
