"""The module contract: every hook a Pamong module may implement, in one place.

A module is a Python package exposing one plugin object (usually the package itself) whose
functions are marked with ``@hookimpl``. An implementation may take any subset of a hook's
arguments, so every hook offers its full context (``app``, ``tenant``, ``actor`` where they apply).
Built-in modules live in ``modules/``; others are found through the entry-point group
``pamong.modules``. Hooks return plain data (dicts, lists, strings), never core objects.
Names are frozen: ``pm.check_pending()`` runs at start-up, so a misspelt hook stops the app.
"""
import pluggy

hookspec = pluggy.HookspecMarker("pamong")
hookimpl = pluggy.HookimplMarker("pamong")


# -- Set-up: what a module is and what it adds to the app -----------------------------------------

@hookspec
def module_info():
    """Return ``{"name", "title", "version", "requires": [...], "description"}`` for this module.

    Optional: ``"disable_notice": {"id": "...", "en": "..."}``, what citizens lose when a tenant
    switches the module off, shown on the admin's confirmation page (a general sentence without it).
    """


@hookspec
def settings_schema():
    """Return the JSON Schema (an object schema with defaults) of this module's per-tenant settings.

    A string property marked ``"secret": true`` holds a secret's reference ``env:NAME`` only, which
    names the environment variable ``PAMONG_SECRET_<SLUG>__<NAME>`` of the tenant's own namespace
    (``core/tenant_secrets.py``). The core refuses, when the settings are written, the secret
    itself written in place (code ``secret_literal``) and a name that is malformed or not set;
    read the value with ``core.kit.tenant_secret(tenant, value)``.
    """


@hookspec
def check_settings(app, tenant, settings):
    """Check what the schema cannot (a category's agency exists, a default is one of the list).

    Called whenever this module's settings are written for an enabled module (``tenant apply``,
    the admin form, ``tenant enable``), after the schema and the tenant's organisation are in
    place. Raise ``core.kit.ValidationError`` naming the key (``where="modules.<m>.settings.<key>"``),
    every problem at once (``core.kit.raise_all(problems)``: the admin form shows each at its field).
    """


@hookspec
def register_blueprints(app):
    """Return the blueprints of this module's pages; each is served under ``/<module>/``.

    An entry may instead be ``(blueprint, url_prefix)`` to serve a standard's fixed address
    (e.g. ``/open311/v2``) in the tenant's URL space; the module's guard applies all the same.
    A blueprint marked with ``core.kit.deployment_wide(bp, find_tenant)`` also answers on the
    deployment's own host (no tenant in host or path): ``find_tenant()`` names the tenant from the
    request (e.g. a ``jurisdiction_id`` parameter), which then scopes the request as usual.
    """


@hookspec
def error_formats(app):
    """Return ``[{"prefix", "render"}]``: how errors are answered under a standard's own address.

    ``prefix`` is a path inside the tenant's URL space (e.g. ``"/open311/v2"``, matching itself and
    everything below it; the longest prefix wins) or a compiled ``re.Pattern`` matched against that
    path. ``render(status, code, message) -> Response`` answers every error there (``status`` the
    HTTP status, ``code`` a stable code such as ``not_found``, ``message`` localised), also when no
    route matched (404, 405) or the tenant in ``/t/<slug>/`` does not exist. The core answers
    ``/api/`` and its SMS webhook with ``{"error": {"code", "message"}}`` and other paths with its
    HTML page (or that JSON when the client prefers ``application/json``).
    """


@hookspec
def register_api(app):
    """Return the blueprints of this module's JSON API; each is served under ``/api/v1/<module>/``."""


@hookspec
def permissions():
    """Return ``[{"name", "description", "roles": [default roles]}]``: permissions this module checks."""


@hookspec
def api_scopes():
    """Return ``[{"name", "description"}]``: the API token scopes this module's endpoints check.

    A token may carry only scopes that the core or an installed module declares (``pamong token
    create --scope`` refuses any other). Name them ``<module>:<verb>``, e.g. ``complaints:write``.
    """


@hookspec
def register_commands(cli):
    """Add this module's Click commands or group to the ``pamong`` command ``cli``."""


@hookspec
def openapi_paths(app):
    """Return OpenAPI ``paths`` entries (a dict) for this module's JSON API."""


@hookspec
def sms_keywords(app, tenant):
    """Return ``{"KEYWORD": handler}`` for ``tenant``; ``handler(tenant, sender, text)`` answers an
    inbound SMS whose first word is the keyword.

    Asked per tenant, and only of modules the tenant has enabled: a module may offer a keyword only
    where its settings turn it on (a clinic's ``DAFTAR`` only where the queue takes SMS). When two
    modules offer one keyword the first in ``requires`` order keeps it.
    """


@hookspec(firstresult=True)
def sms_unmatched(app, tenant, sender, text, keywords):
    """Return the reply (a string) to an inbound SMS whose first word is no keyword of ``tenant``.

    ``keywords`` are the tenant's keywords (sorted). The first answer that is not None wins; the
    core's default (``trylast``) lists the keywords, so an enabled module may replace it.
    """


# -- Tenant life cycle ----------------------------------------------------------------------------

@hookspec
def on_tenant_enabled(app, tenant, settings):
    """Called in the transaction that enables this module for ``tenant``: seed its defaults."""


@hookspec
def on_tenant_disabled(app, tenant):
    """Called in the transaction that disables this module for ``tenant`` (its data is kept)."""


@hookspec
def seed_demo(app, tenant):
    """Add demonstration records for ``tenant`` (``pamong demo`` only)."""


@hookspec
def demo_accounts(app, tenant):
    """Return ``[{"login", "name", "role", "agency"?, "title_front"?, "title_back"?, "note"?}]``:
    the accounts ``tenant``'s demo of this module needs besides the core's (``pamong demo`` only,
    before ``seed_demo``): each made as ``<login>@<slug>.test`` with the demo password (once; a
    name and gelar set only when it has none), given ``role`` (an officer in ``agency``, a code),
    and listed in the demo's banner with its ``note`` (e.g. the position it holds). A row naming an
    account listed already (one of the core's: ``admin``, ``auditor``, ``warga``, ``officer``,
    ``staf``; or another module's) needs only ``login`` and ``note``: the note is added to that
    account's line, nothing else changes."""


# -- Domain events --------------------------------------------------------------------------------

@hookspec
def handle_event(app, tenant, actor, event):
    """React to another module's ``event`` (``{"name", "payload"}``) in the same transaction."""


# -- Page slots -----------------------------------------------------------------------------------

@hookspec
def nav_items(app, tenant, user):
    """Return ``[{"title", "endpoint", "permission"?}]``: links for the tenant's navigation bar."""


@hookspec
def admin_items(app, tenant, user):
    """Return ``[{"title", "endpoint", "permission"?}]``: links in the tenant admin's menu."""


@hookspec
def dashboard_metrics(app, tenant):
    """Return ``[{"label", "value"}]``: public transparency figures shown on the tenant's home page.

    Hot path (issue 11.1): called on every view of the tenant's home page, by every visitor. Its
    cost must not grow with the tenant's data: a constant number of SQL statements, none of them an
    aggregate over the tenant's rows (no ``count(*)``/``GROUP BY`` over complaints, letters,
    visits ...). Read figures kept as the rows change (a summary table updated in the same
    transaction, as ``modules/complaints/summary.py`` does) or a cache with explicit invalidation;
    never recompute on a cache miss. A module's tests check it: the same number of statements with
    10 and with 10,000 rows (``modules/complaints/tests/test_summary.py`` shows how). Any future
    hook called on a page every visitor sees says the same in its docstring."""


# -- Access cards ---------------------------------------------------------------------------------

@hookspec(firstresult=True)
def access_card(app, tenant, number):
    """Return what the module that issues ``tenant``'s cards knows of card ``number`` (a string as
    read from the card), as plain data: ``{"number", "status" ("active", "blocked", "closed",
    "replaced"), "holder_kind" ("citizen", "employee" or None), "entitlements": [codes]}``, or None
    when it issued no such card. Other modules ask through ``core.kit.access_cards`` (issue 18.5)."""


# -- Official documents ---------------------------------------------------------------------------

@hookspec(firstresult=True)
def document_state(app, tenant, document):
    """Return what the module that issued ``document`` (a ``core.documents`` register row, its
    ``kind`` the module's) knows of its state beyond the register's valid/revoked/expired, as plain
    data: ``{"state": "suspended", "reason": str, "since": datetime (UTC)}`` while it is suspended
    (a permit whose use is stopped for a while), or None. The public verification page shows it
    (a revoked or expired document stays revoked or expired). Asked of the tenant's enabled modules
    only, on each view of a verification page: one indexed read, no aggregate."""


@hookspec(firstresult=True)
def document_subject(app, tenant, document, locale):
    """Return ``document``'s subject in the reader's language ``locale`` when the module that issued
    it (its ``kind`` the module's) has a translation of it, as ``{"text": str, "lang": str}`` (the
    language the text is in: the module's fallback may be another), or None: the verification page
    then shows the register's subject as it was signed (in the tenant's first language). Asked of the
    tenant's enabled modules only, on each view of a verification page: one indexed read."""
