"""Delivery providers behind one small interface (DESIGN §6).

A provider is built from the app's config and has ``name`` and ``send(message) -> str | None``
(the provider's own message id, if it gives one). It raises ``DeliveryError`` when the message was
not delivered; ``permanent=True`` means retrying cannot help (the outbox marks it failed at once).
Built in: ``console`` (the demo's and the tests' default; in the demo it prints each message), ``http`` (a generic HTTP SMS gateway),
``smtp`` (e-mail). ``register_provider(name, factory)`` adds another (e.g. a WhatsApp-style gateway).
No provider may log a recipient or a body: they are personal data. (The console provider of the
demo prints the body on the terminal it runs in, with the recipient masked: ``mask_recipient``.)
"""
from __future__ import annotations

import json
import logging
import smtplib
import ssl
import sys
import threading
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("pamong.notify")


@dataclass(frozen=True)
class Outgoing:
    """What a provider gets: a copy of the outbox row, detached from the database."""

    id: int
    tenant_id: int
    channel: str
    to: str
    subject: str
    body: str
    ref: str | None = None


class DeliveryError(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class ProviderConfigError(DeliveryError):
    """The deployment's provider settings are wrong; messages wait until they are fixed."""


# -- console ------------------------------------------------------------------------------------

_console_lock = threading.Lock()
CONSOLE_SENT: deque[Outgoing] = deque(maxlen=1000)  # the latest "sent" messages, for the demo and tests


def mask_recipient(to: str) -> str:
    """A recipient as the demo's terminal shows it: ``+6281234567789`` -> ``+62812****789``,
    ``andi@example.test`` -> ``a***@example.test``; anything shorter keeps only its first character."""
    to = to or ""
    if "@" in to:
        local, _, domain = to.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if len(to) >= 10:
        return f"{to[:6]}****{to[-3:]}"
    return f"{to[:1]}****" if to else ""


class ConsoleProvider:
    """Sends nothing. With ``PAMONG_DEMO`` (or ``PAMONG_CONSOLE_ECHO``) set it prints each message
    on standard error (recipient masked), whatever the logging level; otherwise it logs only that a
    message went (never its recipient or body) at INFO."""

    name = "console"

    def __init__(self, config: dict):
        self.echo = bool(config.get("PAMONG_CONSOLE_ECHO", config.get("PAMONG_DEMO")))

    def send(self, message: Outgoing) -> str | None:
        with _console_lock:
            CONSOLE_SENT.append(message)
            if self.echo:
                print(console_text(message), file=sys.stderr, flush=True)
        log.info("console %s #%s for tenant %s to <redacted> ref=%s (%d characters)",
                 message.channel, message.id, message.tenant_id, message.ref or "-", len(message.body))
        return f"console-{message.id}"


def console_text(message: Outgoing) -> str:
    """The demo terminal's lines for one message: a header, the subject (e-mail), the body."""
    kind = "SMS" if message.channel == "sms" else "E-mail" if message.channel == "email" else message.channel
    lines = [f"--- {kind} #{message.id} to {mask_recipient(message.to)} (tenant {message.tenant_id}) ---"]
    masked = mask_recipient(message.to)
    hide = (lambda text: text.replace(message.to, masked)) if message.to else (lambda text: text)
    if message.subject:
        lines.append(f"Subject: {hide(message.subject)}")
    lines.append(hide(message.body))  # a body naming its own recipient is masked the same way
    return "\n".join(lines)


def console_messages(channel: str | None = None) -> list[Outgoing]:
    with _console_lock:
        return [m for m in CONSOLE_SENT if channel is None or m.channel == channel]


def clear_console() -> None:
    with _console_lock:
        CONSOLE_SENT.clear()


# -- generic HTTP SMS gateway --------------------------------------------------------------------

PLACEHOLDERS = ("to", "body", "subject", "ref", "id")


def render_template(template, values: dict[str, str]):
    """Fill ``{to}``, ``{body}``, ``{subject}``, ``{ref}``, ``{id}`` in every string of a JSON value."""
    if isinstance(template, dict):
        return {k: render_template(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [render_template(v, values) for v in template]
    if isinstance(template, str):
        for key in PLACEHOLDERS:
            template = template.replace("{" + key + "}", values.get(key, ""))
    return template


class HttpSmsProvider:
    """POSTs each SMS to ``PAMONG_SMS_HTTP_URL`` as JSON (or a form) built from
    ``PAMONG_SMS_HTTP_TEMPLATE``, with ``Authorization: Bearer PAMONG_SMS_HTTP_TOKEN`` if set.
    A 2xx answer is success (its JSON ``id``/``message_id`` is kept); 408, 429 and 5xx are retried;
    any other 4xx is permanent."""

    name = "http"

    def __init__(self, config: dict):
        self.url = config.get("PAMONG_SMS_HTTP_URL", "")
        if not self.url.startswith(("http://", "https://")):
            raise ProviderConfigError("PAMONG_SMS_HTTP_URL: not set to an http(s) URL")
        try:
            self.template = json.loads(config.get("PAMONG_SMS_HTTP_TEMPLATE") or "{}")
        except json.JSONDecodeError as exc:
            raise ProviderConfigError(f"PAMONG_SMS_HTTP_TEMPLATE: not JSON ({exc.msg})") from None
        if not isinstance(self.template, dict):
            raise ProviderConfigError("PAMONG_SMS_HTTP_TEMPLATE: must be a JSON object")
        self.form = config.get("PAMONG_SMS_HTTP_FORMAT", "json") == "form"
        self.token = config.get("PAMONG_SMS_HTTP_TOKEN", "")
        self.timeout = float(config.get("PAMONG_SMS_HTTP_TIMEOUT", 10))

    def send(self, message: Outgoing) -> str | None:
        import requests

        payload = render_template(self.template, {
            "to": message.to, "body": message.body, "subject": message.subject,
            "ref": message.ref or "", "id": str(message.id),
        })
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        body = {"data": payload} if self.form else {"json": payload}
        try:
            response = requests.post(self.url, headers=headers, timeout=self.timeout, **body)
        except requests.RequestException as exc:
            raise DeliveryError(f"gateway unreachable ({type(exc).__name__})") from None
        if 200 <= response.status_code < 300:
            try:
                data = response.json()
            except ValueError:
                return None
            ref = data.get("id") or data.get("message_id") if isinstance(data, dict) else None
            return str(ref)[:100] if ref is not None else None
        permanent = response.status_code < 500 and response.status_code not in (408, 429)
        raise DeliveryError(f"gateway answered HTTP {response.status_code}", permanent=permanent)


# -- SMTP e-mail ---------------------------------------------------------------------------------

class SmtpProvider:
    """Sends e-mail through ``PAMONG_SMTP_URL``: ``smtp://[user:password@]host[:port][?starttls=1]``
    or ``smtps://...`` (TLS from the start), from ``PAMONG_MAIL_FROM``."""

    name = "smtp"

    def __init__(self, config: dict):
        url = urlsplit(config.get("PAMONG_SMTP_URL", ""))
        if url.scheme not in ("smtp", "smtps") or not url.hostname:
            raise ProviderConfigError("PAMONG_SMTP_URL: not an smtp:// or smtps:// URL")
        self.tls = url.scheme == "smtps"
        self.host, self.port = url.hostname, url.port or (465 if self.tls else 25)
        self.user = unquote(url.username or "")
        self.password = unquote(url.password or "")
        self.starttls = parse_qs(url.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.sender = config.get("PAMONG_MAIL_FROM", "pamong@localhost")
        self.timeout = float(config.get("PAMONG_SMTP_TIMEOUT", 10))

    def send(self, message: Outgoing) -> str | None:
        mail = EmailMessage()
        mail["From"], mail["To"] = self.sender, message.to
        mail["Subject"] = message.subject or message.body.splitlines()[0][:78]
        mail["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        mail.set_content(message.body)
        try:
            cls = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
            with cls(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError("the mail server refused the recipient", permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            raise DeliveryError(f"the mail server answered {exc.smtp_code}", permanent=permanent) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"mail server unreachable ({type(exc).__name__})") from None
        return mail["Message-ID"][:100]


# -- the registry --------------------------------------------------------------------------------

PROVIDERS = {"console": ConsoleProvider, "http": HttpSmsProvider, "smtp": SmtpProvider}
CHANNEL_SETTING = {"sms": "PAMONG_SMS_PROVIDER", "email": "PAMONG_EMAIL_PROVIDER"}


def register_provider(name: str, factory) -> None:
    """Add a provider: ``factory(config) -> object with .name and .send(Outgoing)``."""
    PROVIDERS[name] = factory


def provider_for(channel: str, config: dict):
    """The provider configured for ``channel`` (``PAMONG_SMS_PROVIDER`` / ``PAMONG_EMAIL_PROVIDER``);
    channel ``tenant`` (a post to another tenant) always has the deployment's own (tenant_post.py)."""
    if channel == "tenant":
        from .tenant_post import TenantProvider

        return TenantProvider(config)
    name = config.get(CHANNEL_SETTING[channel]) or "console"
    factory = PROVIDERS.get(name)
    if factory is None:
        known = ", ".join(PROVIDERS)
        raise ProviderConfigError(f"{CHANNEL_SETTING[channel]}: unknown provider '{name}' (one of: {known})")
    return factory(config)
