"""Deployment configuration, read from the environment (never from the repository)."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _instance_dir() -> Path:
    return Path(os.environ.get("PAMONG_INSTANCE", ROOT / "instance")).resolve()


def _secret_key(instance: Path) -> str:
    """PAMONG_SECRET_KEY, else a key generated once and kept in instance/secret_key."""
    key = os.environ.get("PAMONG_SECRET_KEY")
    if key:
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(overrides: dict | None = None) -> dict:
    instance = _instance_dir()
    overrides = dict(overrides or {})
    db_url = overrides.pop("DATABASE_URL", None) or os.environ.get(
        "PAMONG_DATABASE_URL", f"sqlite:///{instance / 'pamong.db'}"
    )
    owner_url = overrides.pop("DATABASE_OWNER_URL", None) or os.environ.get("PAMONG_DATABASE_OWNER_URL", "")
    config = {
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": overrides.pop("SECRET_KEY", None) or _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": normalise_db_url(db_url),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(db_url),
        **database_roles(db_url, owner_url),
        # seconds a SQLite writer waits for another's write lock before failing (core/locking.py)
        "PAMONG_SQLITE_BUSY_TIMEOUT": _seconds("PAMONG_SQLITE_BUSY_TIMEOUT", 30.0),
        "PAMONG_REDIS_URL": os.environ.get("PAMONG_REDIS_URL", ""),
        "PAMONG_TENANTS_DIR": os.environ.get("PAMONG_TENANTS_DIR", str(ROOT / "tenants")),
        "PAMONG_TEMPLATE_OVERRIDES": os.environ.get("PAMONG_TEMPLATE_OVERRIDES", ""),
        "PAMONG_MODULES_DISABLED": os.environ.get("PAMONG_MODULES_DISABLED", ""),
        # IANA zones a tenant may use besides WIB/WITA/WIT, comma-separated (core/tenancy/zones.py)
        "PAMONG_EXTRA_TIMEZONES": os.environ.get("PAMONG_EXTRA_TIMEZONES", ""),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("PAMONG_INSECURE_COOKIES", "") != "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("PAMONG_INSECURE_COOKIES", "") != "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": os.environ.get("PAMONG_REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "PAMONG_LOGIN_RATE": os.environ.get("PAMONG_LOGIN_RATE", "10 per minute"),
        "PAMONG_AUDIT_SEAL": "queue",
        # seconds a module may cache public aggregate figures (transparency pages); 0: never
        "PAMONG_PUBLIC_FIGURES_TTL": int(os.environ.get("PAMONG_PUBLIC_FIGURES_TTL", "300")),
        # anonymous pages (core/public_cache.py): Cache-Control max-age for proxies and browsers
        # (0: none), and seconds this process keeps them itself (0: off)
        "PAMONG_PUBLIC_MAX_AGE": int(_seconds("PAMONG_PUBLIC_MAX_AGE", 60.0)),
        "PAMONG_ANON_CACHE_SECONDS": int(_seconds("PAMONG_ANON_CACHE_SECONDS", 0.0)),
    }
    config.update(services_config())
    config.update(security_config())
    config.update(overrides)
    return config


def services_config() -> dict:
    """Notifications, inbound SMS, file storage and data encryption (see core/notify, core/sms,
    core/storage.py, core/crypto.py). Provider secrets come from the environment only."""
    env = os.environ.get
    return {
        "PAMONG_DATA_KEY": env("PAMONG_DATA_KEY", ""),  # empty: derived from SECRET_KEY
        # Outbox delivery: "console" (logs, keeps messages in memory), "http" (SMS gateway), "smtp".
        "PAMONG_SMS_PROVIDER": env("PAMONG_SMS_PROVIDER", "http" if env("PAMONG_SMS_HTTP_URL") else "console"),
        "PAMONG_EMAIL_PROVIDER": env("PAMONG_EMAIL_PROVIDER", "smtp" if env("PAMONG_SMTP_URL") else "console"),
        "PAMONG_SMS_HTTP_URL": env("PAMONG_SMS_HTTP_URL", ""),
        "PAMONG_SMS_HTTP_TOKEN": env("PAMONG_SMS_HTTP_TOKEN", ""),
        "PAMONG_SMS_HTTP_FORMAT": env("PAMONG_SMS_HTTP_FORMAT", "json"),  # or "form"
        "PAMONG_SMS_HTTP_TEMPLATE": env("PAMONG_SMS_HTTP_TEMPLATE", '{"to": "{to}", "message": "{body}"}'),
        "PAMONG_SMS_HTTP_TIMEOUT": float(env("PAMONG_SMS_HTTP_TIMEOUT", "10")),
        "PAMONG_SMTP_URL": env("PAMONG_SMTP_URL", ""),  # smtp://user:pass@host:587?starttls=1, smtps://...
        "PAMONG_SMTP_TIMEOUT": float(env("PAMONG_SMTP_TIMEOUT", "10")),
        "PAMONG_MAIL_FROM": env("PAMONG_MAIL_FROM", "pamong@localhost"),
        "PAMONG_NOTIFY_MAX_ATTEMPTS": int(env("PAMONG_NOTIFY_MAX_ATTEMPTS", "6")),
        "PAMONG_NOTIFY_RETRY_BASE": int(env("PAMONG_NOTIFY_RETRY_BASE", "60")),  # seconds, doubled per attempt
        "PAMONG_SMS_RATE": env("PAMONG_SMS_RATE", "120 per minute"),
        # File storage: "local" (a folder, default INSTANCE_DIR/files) or "s3".
        "PAMONG_STORAGE": env("PAMONG_STORAGE", "s3" if env("PAMONG_S3_BUCKET") else "local"),
        "PAMONG_STORAGE_DIR": env("PAMONG_STORAGE_DIR", ""),
        "PAMONG_S3_BUCKET": env("PAMONG_S3_BUCKET", ""),
        "PAMONG_S3_ENDPOINT_URL": env("PAMONG_S3_ENDPOINT_URL", ""),
        "PAMONG_S3_PREFIX": env("PAMONG_S3_PREFIX", ""),
        "PAMONG_S3_REGION": env("PAMONG_S3_REGION", env("AWS_DEFAULT_REGION", "")),
    }


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        from .errors import PamongError

        raise PamongError(f"'{raw}' is not a number of seconds from 0 to 3600", where=name, code="invalid_setting")
    return value


def engine_options(db_url: str) -> dict:
    """SQLite: no cap on pooled connections, so concurrent writers queue on the database's write
    lock (with its busy timeout, core/locking.py) and never time out waiting for the pool."""
    # no ping per checkout (a round trip per request, issue 11.5): connections are recycled after
    # PAMONG_DB_POOL_RECYCLE seconds and a request's first statement is retried once on a dead one
    # (core/tenancy/resolve.py)
    options = {"pool_pre_ping": False, "pool_recycle": _seconds("PAMONG_DB_POOL_RECYCLE", 1800.0)}
    if db_url.startswith("sqlite") and ":memory:" not in db_url and db_url != "sqlite://":
        options["max_overflow"] = -1
    return options


def database_roles(db_url: str, owner_url: str) -> dict:
    """Who logs in where on PostgreSQL (DESIGN §4, wall two; README "Running it for real").

    ``PAMONG_DATABASE_URL`` is the app's own login: in production the restricted role itself
    (no superuser, no BYPASSRLS, owns no table). ``PAMONG_DATABASE_OWNER_URL`` is the owner's, used
    only by ``pamong init`` and ``pamong db upgrade``, which create or update the app's LOGIN role
    (named by the app URL's user, password from that URL) and its grants. Without an owner URL the
    app URL is the owner too: a demo or development set-up, where each connection switches to the
    NOLOGIN role ``PAMONG_DB_APP_ROLE`` (default ``pamong_app``) with SET ROLE, and the app serves
    only with ``PAMONG_DEMO=1`` (``core.rls.assume_app_role`` refuses otherwise).
    """
    from sqlalchemy.engine import make_url

    role = os.environ.get("PAMONG_DB_APP_ROLE", "")
    if owner_url and not role and db_url.startswith(("postgres://", "postgresql")):
        role = make_url(normalise_db_url(db_url)).username or ""
    return {
        "PAMONG_DATABASE_OWNER_URI": normalise_db_url(owner_url) if owner_url else "",
        "PAMONG_DB_APP_ROLE": role or "pamong_app",
        # the app may log in as the owner and SET ROLE (demo, development, tests); never in production
        "PAMONG_DEMO": os.environ.get("PAMONG_DEMO", "") == "1",
    }


DEMO_PUBLIC_URL_FILE = "demo_public_url"  # written by `pamong demo` (core/commands/server.py)


def demo_public_url() -> str:
    """The address the demo of this instance folder serves on, or "" (no demo ran here)."""
    try:
        return (_instance_dir() / DEMO_PUBLIC_URL_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def security_config() -> dict:
    """Proxies, the public address, the remember cookie and sign-in throttling (core/proxy.py,
    core/auth/session.py, core/auth/throttle.py)."""
    from .proxy import trusted_proxies

    env = os.environ.get
    return {
        # proxy hops in front of the app whose X-Forwarded-* headers are believed (0: none)
        "PAMONG_TRUSTED_PROXIES": trusted_proxies(env("PAMONG_TRUSTED_PROXIES", "0")),
        # the deployment's own address, e.g. https://layanan.example.go.id (Open311 discovery, links)
        # (else the address `pamong demo` serves on, which it notes in the instance folder, so that a
        # CLI command run beside the demo, e.g. an invitation, links to it too)
        "PAMONG_PUBLIC_URL": env("PAMONG_PUBLIC_URL", "") or demo_public_url(),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(env("PAMONG_REMEMBER_DAYS", "30"))),
        # per account: after FAILURES wrong passwords within WINDOW seconds, each further attempt
        # waits DELAY seconds, doubled per failure up to MAX_DELAY; the owner is told once per window
        "PAMONG_LOGIN_ACCOUNT_FAILURES": int(env("PAMONG_LOGIN_ACCOUNT_FAILURES", "5")),
        "PAMONG_LOGIN_ACCOUNT_WINDOW": int(env("PAMONG_LOGIN_ACCOUNT_WINDOW", "900")),
        "PAMONG_LOGIN_ACCOUNT_DELAY": int(env("PAMONG_LOGIN_ACCOUNT_DELAY", "2")),
        "PAMONG_LOGIN_ACCOUNT_MAX_DELAY": int(env("PAMONG_LOGIN_ACCOUNT_MAX_DELAY", "900")),
        # accounts (core/auth/tokens.py): lifetimes of the links sent, in seconds, and at most one
        # reset / verification message per person per PAMONG_RESET_INTERVAL seconds
        "PAMONG_INVITE_MAX_AGE": int(env("PAMONG_INVITE_MAX_AGE", str(7 * 86400))),
        "PAMONG_RESET_MAX_AGE": int(env("PAMONG_RESET_MAX_AGE", "3600")),
        "PAMONG_VERIFY_MAX_AGE": int(env("PAMONG_VERIFY_MAX_AGE", str(2 * 86400))),
        "PAMONG_SMS_CODE_MAX_AGE": int(env("PAMONG_SMS_CODE_MAX_AGE", "1800")),
        "PAMONG_RESET_INTERVAL": int(env("PAMONG_RESET_INTERVAL", "300")),
    }


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
