"""The app factory: a readable list of steps, no database query inside."""
from __future__ import annotations

from flask import Flask, request
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from sqlalchemy import event

from . import i18n
from .config import ROOT, load_config
from .extensions import babel, csrf, db, limiter, login_manager
from .failed_transaction import discard_failed_transaction
from .http_errors import configure_errors
from .modules import ModuleManager
from .proxy import TrustedProxies
from .templating import TenantEnvironment
from .web_request import CleanRequest
from .tenancy.resolve import PathPrefixMiddleware, module_guard, release_tenant, resolve_tenant


class PamongFlask(Flask):
    jinja_environment = TenantEnvironment
    request_class = CleanRequest  # every text a request carries is cleaned once (core.text)

    # A failed database transaction is rolled back before an error handler answers, so that the
    # answer cannot fail a second time (core.failed_transaction).
    def handle_user_exception(self, e):
        discard_failed_transaction(e)
        return super().handle_user_exception(e)

    def handle_exception(self, e):
        discard_failed_transaction(e)
        return super().handle_exception(e)


def create_app(config: dict | None = None, extra_plugins=()) -> Flask:
    app = PamongFlask("pamong", root_path=str(ROOT / "core"), static_folder=str(ROOT / "core" / "static"))
    configure(app, config)
    init_extensions(app)
    manager = load_modules(app, extra_plugins)
    configure_templates(app, manager)
    register_core_blueprints(app)
    register_module_blueprints(app, manager)
    configure_requests(app)
    register_favicon(app)
    configure_errors(app)
    manager.hook.register_commands(cli=app.cli)
    from .public_cache import CachedAnswers

    app.wsgi_app = TrustedProxies(app, PathPrefixMiddleware(CachedAnswers(app, app.wsgi_app)))
    return app


def configure(app: Flask, config: dict | None) -> None:
    from . import params
    from .tenancy.zones import SETTING, parse_extra

    app.config.update(load_config(config))
    params.init_app(app)  # bounded <int:...> in every route (before any blueprint is registered)
    parse_extra(app.config[SETTING])  # a zone that does not exist stops start-up, named


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "connect", _connection_setup(app))
    from . import locking  # noqa: F401  (unsafe requests and jobs begin as writers on SQLite)
    from . import idempotency, ledger  # noqa: F401  (their tables and periodic jobs)
    babel.init_app(
        app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone,
        default_translation_directories=str(i18n.CORE_TRANSLATIONS),
    )
    babel.date_formats = i18n.LocaleDateFormats(babel.default_date_formats)  # dates as Indonesia writes them
    i18n.install_template_gettext(app)  # templates translate through the request's catalogue, looked up once
    from .auth.session import init_login

    init_login(app, login_manager)
    csrf.init_app(app)
    limiter.init_app(app)


def _connection_setup(app: Flask):
    config = app.config

    def on_connect(dbapi_conn, record):
        cursor = dbapi_conn.cursor()
        if type(dbapi_conn).__module__.startswith("sqlite3"):
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # writers wait for each other (core/locking.py) rather than fail at once
            cursor.execute(f"PRAGMA busy_timeout={int(float(config['PAMONG_SQLITE_BUSY_TIMEOUT']) * 1000)}")
        else:
            # Wall two: every connection of the app runs as a role subject to RLS (core/rls.py).
            from .rls import assume_app_role
            from .tenancy.scope import APP_ROLE_INFO

            assume_app_role(dbapi_conn, cursor, config["PAMONG_DB_APP_ROLE"], bool(config.get("PAMONG_DEMO")))
            record.info[APP_ROLE_INFO] = config["PAMONG_DB_APP_ROLE"]  # what a transaction switches back to
        cursor.close()

    return on_connect


def load_modules(app: Flask, extra_plugins) -> ModuleManager:
    disabled = {n.strip() for n in app.config["PAMONG_MODULES_DISABLED"].split(",") if n.strip()}
    manager = ModuleManager(extra_plugins=extra_plugins, disabled=disabled)
    app.extensions["pamong"] = manager
    return manager


def configure_templates(app: Flask, manager: ModuleManager) -> None:
    """Deployment overrides, then the shared templates, then each module's own (DESIGN: layers)."""
    loaders = []
    if app.config["PAMONG_TEMPLATE_OVERRIDES"]:
        loaders.append(FileSystemLoader(app.config["PAMONG_TEMPLATE_OVERRIDES"]))
    loaders.append(FileSystemLoader(str(ROOT / "templates")))
    loaders.append(PrefixLoader({"tenant": FileSystemLoader(app.config["PAMONG_TENANTS_DIR"])}, delimiter="/"))
    loaders += [FileSystemLoader(str(spec.path / "templates")) for spec in manager.modules.values()]
    app.jinja_loader = ChoiceLoader(loaders)
    app.jinja_env.globals.update(rupiah=i18n.rupiah, local_datetime=i18n.local_datetime, now_utc=i18n.now_utc)
    app.jinja_env.filters.update(local_datetime=i18n.local_datetime)  # {{ when|local_datetime("short") }}
    from .portal.context import portal_context

    app.context_processor(portal_context)


def register_core_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .documents.views import bp as documents_bp
    from .portal.views import bp as portal_bp
    from .sms.views import bp as sms_bp

    app.register_blueprint(portal_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(documents_bp)  # /verify/<code>, public, in each tenant's URL space
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)
    app.register_blueprint(sms_bp)  # POST /sms/inbound: signed by the gateway, not a browser form
    csrf.exempt(sms_bp)
    from .operator import init_app as init_operator

    init_operator(app)  # /operator/: the deployment operator's console, at the deployment's address


def register_module_blueprints(app: Flask, manager: ModuleManager) -> None:
    """Each installed module's blueprints, registered once; a guard answers 404 per tenant."""
    for name, spec in manager.modules.items():
        domain = i18n.module_domain(name, spec.translations_dir)
        guards = [module_guard(name), domain.as_default]
        for entry in manager.call(spec.plugin, "register_blueprints", app=app) or []:
            # a blueprint (served under /<module>/) or (blueprint, url_prefix) for a standard's
            # fixed address, e.g. Open311's /open311/v2
            bp, prefix = entry if isinstance(entry, tuple) else (entry, f"/{name}")
            app.register_blueprint(bp, url_prefix=prefix)
            # on the app, not the blueprint: a blueprint object may serve several apps (tests)
            find_tenant = getattr(bp, "pamong_find_tenant", None)  # see tenancy.resolve.deployment_wide
            app.before_request_funcs.setdefault(bp.name, []).extend(
                [module_guard(name, find_tenant), domain.as_default] if find_tenant else guards
            )
        for bp in manager.call(spec.plugin, "register_api", app=app) or []:
            csrf.exempt(bp)
            app.register_blueprint(bp, url_prefix=f"/api/v1/{name}")
            app.before_request_funcs.setdefault(bp.name, []).extend(guards)


FAVICON_MAX_AGE = 7 * 24 * 3600  # a week: browsers ask for /favicon.ico on every first visit


def register_favicon(app: Flask) -> None:
    """``/favicon.ico`` (what every browser asks for, whatever the page links): the kit's icon from
    ``core/static``, public and cached, instead of a 404 in every log."""
    from flask import send_from_directory

    from .auth.permissions import public

    @app.route("/favicon.ico")
    @public
    def favicon():
        response = send_from_directory(app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                                       max_age=FAVICON_MAX_AGE)
        response.cache_control.public = True
        return response


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
}


def configure_requests(app: Flask) -> None:
    from .form_messages import init_form_messages
    from .public_cache import init_public_cache

    app.before_request(resolve_tenant)
    app.teardown_request(release_tenant)
    init_public_cache(app)  # anonymous pages: a public Cache-Control, and optionally kept in memory
    init_form_messages(app)  # WTForms' own messages ("This field is required.") in the page's language

    @app.after_request
    def security_headers(response):
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if request.is_secure:  # TLS to the app, or to a trusted proxy (PAMONG_TRUSTED_PROXIES); never on http
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
