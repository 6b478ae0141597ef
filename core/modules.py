"""The module manager: finds modules, orders them by ``requires`` and calls their hooks.

One manager per app, kept in ``app.extensions["pamong"]``. The core never imports a module by
name: built-in modules are the packages under ``modules/``, others come from the entry-point
group ``pamong.modules``.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pluggy
from flask import current_app

from . import hookspecs
from .errors import ModuleError

BUILTIN_PACKAGE = "modules"
ENTRY_POINT_GROUP = "pamong.modules"


@dataclass
class ModuleSpec:
    name: str
    plugin: object
    info: dict
    path: Path  # the package folder: templates/, translations/, migrations/ live here
    source: str  # "builtin" or the distribution's entry point
    schema: dict = field(default_factory=dict)
    permissions: list = field(default_factory=list)
    api_scopes: list = field(default_factory=list)

    @property
    def title(self):
        return self.info.get("title", self.name)

    @property
    def version(self) -> str:
        return str(self.info.get("version", "0"))

    @property
    def requires(self) -> list[str]:
        return list(self.info.get("requires", []))

    @property
    def migrations_dir(self) -> Path:
        return self.path / "migrations"

    @property
    def translations_dir(self) -> Path:
        return self.path / "translations"


def _package_path(plugin) -> Path:
    module = importlib.import_module(plugin.__module__) if not hasattr(plugin, "__file__") else plugin
    return Path(module.__file__).resolve().parent


def discover(disabled: set[str] = frozenset()) -> list[tuple[str, object, str]]:
    """Import every installed module; a module that fails to import stops start-up, named."""
    found: list[tuple[str, object, str]] = []
    try:
        package = importlib.import_module(BUILTIN_PACKAGE)
        names = [m.name for m in pkgutil.iter_modules(package.__path__) if m.ispkg]
    except ModuleNotFoundError:
        names = []
    for name in sorted(names):
        if name in disabled:
            continue
        try:
            mod = importlib.import_module(f"{BUILTIN_PACKAGE}.{name}")
        except Exception as exc:  # noqa: BLE001 - reported with the module's name
            raise ModuleError(f"module '{name}' failed to import: {exc!r}") from exc
        found.append((name, getattr(mod, "plugin", mod), "builtin"))
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in disabled:
            continue
        try:
            obj = ep.load()
        except Exception as exc:  # noqa: BLE001
            raise ModuleError(f"module '{ep.name}' failed to import: {exc!r}") from exc
        found.append((ep.name, getattr(obj, "plugin", obj), f"entry point {ep.value}"))
    return found


def installed_names() -> set[str]:
    """The names of every installed module (built-in packages and entry points), without importing them."""
    try:
        package = importlib.import_module(BUILTIN_PACKAGE)
        names = {m.name for m in pkgutil.iter_modules(package.__path__) if m.ispkg}
    except ModuleNotFoundError:
        names = set()
    return names | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}


def order_by_requires(specs: dict[str, ModuleSpec]) -> list[str]:
    """Topological order; a missing or circular requirement is an error naming the module."""
    for spec in specs.values():
        for req in spec.requires:
            if req not in specs:
                raise ModuleError(f"module '{spec.name}' requires '{req}', which is not installed")
    ordered: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = " -> ".join(chain[chain.index(name):] + [name])
            raise ModuleError(f"module '{name}' has a circular requirement: {cycle}")
        state[name] = "visiting"
        for req in specs[name].requires:
            visit(req, chain + [name])
        state[name] = "done"
        ordered.append(name)

    for name in sorted(specs):
        visit(name, [])
    return ordered


class ModuleManager:
    def __init__(self, extra_plugins=(), disabled: set[str] = frozenset()):
        self.pm = pluggy.PluginManager("pamong")
        self.pm.add_hookspecs(hookspecs)
        from . import defaults

        self.pm.register(defaults, name="core")
        self.modules: dict[str, ModuleSpec] = {}
        unknown = sorted(set(disabled) - installed_names())
        if unknown:  # a misspelt name would leave the module running unnoticed
            raise ModuleError(f"PAMONG_MODULES_DISABLED: no installed module '{unknown[0]}' "
                              f"(installed: {', '.join(sorted(installed_names())) or 'none'})")
        found = discover(disabled) + [(self._name_of(p), p, "test") for p in extra_plugins]
        specs: dict[str, ModuleSpec] = {}
        for name, plugin, source in found:
            if name in specs:
                raise ModuleError(f"module '{name}' is installed twice ({specs[name].source}; {source})")
            try:
                self.pm.register(plugin, name=name)
            except Exception as exc:  # noqa: BLE001
                raise ModuleError(f"module '{name}' cannot be registered: {exc}") from exc
            info = self.call(plugin, "module_info") or {}
            if info.get("name", name) != name:
                raise ModuleError(f"module '{name}' calls itself '{info.get('name')}' in module_info()")
            info["name"] = name
            specs[name] = ModuleSpec(
                name=name,
                plugin=plugin,
                info=info,
                path=_package_path(plugin),
                source=source,
                schema=self.call(plugin, "settings_schema") or {"type": "object", "properties": {}},
                permissions=_checked_permissions(name, self.call(plugin, "permissions") or []),
                api_scopes=_checked_scopes(name, self.call(plugin, "api_scopes") or []),
            )
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            name = self.pm.get_name(exc.plugin) or repr(exc.plugin)
            raise ModuleError(f"module '{name}' implements an unknown hook: {exc}") from exc
        self.modules = {name: specs[name] for name in order_by_requires(specs)}
        # registered again in ``requires`` order, so pluggy's own order (last registered, first
        # called) is the reverse of it, and ``collect`` gives the core's answer, then each module's
        for name, spec in self.modules.items():
            self.pm.unregister(spec.plugin)
            self.pm.register(spec.plugin, name=name)

    def _name_of(self, plugin) -> str:
        info = self.call(plugin, "module_info", direct=True) or {}
        if "name" not in info:
            raise ModuleError(f"plugin {plugin!r} gives no name in module_info()")
        return info["name"]

    def call(self, plugin, hookname: str, direct: bool = False, **kwargs):
        """Call one plugin's implementation of a hook through pluggy (None if it has none).

        For hooks whose answer the core must attribute to one module (its info, schema, blueprints,
        the settings check and seeding of the module being enabled).
        """
        if direct:
            fn = getattr(plugin, hookname, None)
            return fn() if fn else None
        others = [p for p in self.pm.get_plugins() if p is not plugin]
        result = self.pm.subset_hook_caller(hookname, others)(**kwargs)
        if isinstance(result, list):  # not a firstresult hook: [] or [answer]
            return result[0] if result else None
        return result

    def call_module(self, name: str, hookname: str, **kwargs):
        return self.call(self.modules[name].plugin, hookname, **kwargs)

    # -- per tenant: only the core and the modules the tenant has enabled answer ----------------

    def tenant_hook(self, enabled, exclude=()):
        """The hook relay (like ``pm.hook``) of the core and the modules named in ``enabled``.

        ``tenant_hook(enabled).nav_items(app=..., tenant=..., user=...)`` is pluggy's own call
        (``subset_hook_caller``): ``tryfirst``/``trylast`` and ``firstresult`` apply, so a module
        the tenant enabled replaces a core default marked ``trylast`` (``sms_unmatched``). Plugins
        named in ``exclude`` (e.g. an event's source) do not answer.
        """
        return _TenantHooks(self.pm, set(enabled) - set(exclude))

    def for_tenant(self, tenant, exclude=(), enabled=None):
        """``tenant_hook`` for ``tenant``'s enabled modules (read now, unless ``enabled`` gives
        them, e.g. the request's ``g.enabled_modules``)."""
        return self.tenant_hook(enabled_names(tenant) if enabled is None else enabled, exclude)

    def collect(self, tenant, hookname: str, /, exclude=(), enabled=None, **kwargs) -> list:
        """The answers of a list hook, the core's first, then each enabled module's in ``requires``
        order (pluggy's call order reversed); a ``None`` answer is left out."""
        return list(reversed(getattr(self.for_tenant(tenant, exclude, enabled), hookname)(**kwargs)))

    def each(self, tenant, hookname: str, /, **kwargs) -> list[tuple[str, object]]:
        """``[(module, answer)]`` of each module ``tenant`` has enabled, in ``requires`` order, each
        called through pluggy; for answers that must be attributed (an SMS keyword's module)."""
        enabled = set(enabled_names(tenant))
        out = []
        for name, plugin in self.pm.list_name_plugin():  # registration order: ``requires`` order
            if name in enabled:
                answer = self.call(plugin, hookname, **kwargs)
                if answer is not None:
                    out.append((name, answer))
        return out

    @property
    def hook(self):
        return self.pm.hook

    def get(self, name: str) -> ModuleSpec | None:
        return self.modules.get(name)

    def all_permissions(self) -> dict[str, dict]:
        """Every declared permission, the core's and each module's, by name."""
        perms: dict[str, dict] = {}
        for group in [self.call(defaults_plugin(self), "permissions") or []] + [
            spec.permissions for spec in self.modules.values()
        ]:
            for perm in group:
                perms[perm["name"]] = perm
        return perms

    def all_api_scopes(self, app=None) -> dict[str, dict]:
        """Every API token scope that exists: ``{name: {"name", "description", "module"}}``.

        The core's and each installed module's ``api_scopes()``, and any scope an ``@api_scope``
        endpoint of ``app`` checks (so a module that forgot to declare one is not locked out).
        """
        scopes: dict[str, dict] = {}
        for module, group in [("core", self.call(defaults_plugin(self), "api_scopes") or [])] + [
            (spec.name, spec.api_scopes) for spec in self.modules.values()
        ]:
            for scope in group:
                scopes.setdefault(scope["name"], {**scope, "module": module})
        for view in (app.view_functions.values() if app is not None else ()):
            used = getattr(view, "_pamong_permission", "")
            if isinstance(used, str) and used.startswith("api:"):
                scopes.setdefault(used[4:], {"name": used[4:], "description": "", "module": ""})
        return scopes


def _checked_permissions(module: str, perms: list) -> list:
    """A permission's default roles are roles the core knows (``core.auth.models.ROLES``)."""
    from .auth.models import ROLES

    for perm in perms:
        for role in perm.get("roles", []):
            if role not in ROLES:
                raise ModuleError(
                    f"module '{module}' grants permission '{perm.get('name')}' to unknown role '{role}' "
                    f"(roles: {', '.join(ROLES)})"
                )
    return perms


SCOPE_NAME = re.compile(r"^[a-z0-9_.-]+:[a-z0-9_.-]+$")  # <module>:<verb>, e.g. complaints:write


def _checked_scopes(module: str, scopes: list) -> list:
    """Each declared scope is ``{"name": "<module>:<verb>", ...}``."""
    for scope in scopes:
        name = scope.get("name", "") if isinstance(scope, dict) else ""
        if not SCOPE_NAME.match(name):
            raise ModuleError(f"module '{module}' declares an API scope that is not a scope name: {scope!r}")
    return scopes


CORE_PLUGIN = "core"


class _TenantHooks:
    """``.<hookname>``: pluggy's subset hook caller without the modules a tenant has not enabled."""

    def __init__(self, pm: pluggy.PluginManager, enabled: set[str]):
        self._pm, self._enabled = pm, enabled

    def __getattr__(self, hookname: str):
        remove = [plugin for name, plugin in self._pm.list_name_plugin()
                  if name != CORE_PLUGIN and name not in self._enabled]
        return self._pm.subset_hook_caller(hookname, remove)


def enabled_names(tenant) -> list[str]:
    """The modules ``tenant`` has enabled, read now (a module enabled in this request counts)."""
    from .tenancy.service import enabled_modules

    return enabled_modules(tenant)


def defaults_plugin(manager: ModuleManager):
    return manager.pm.get_plugin("core")


def manager() -> ModuleManager:
    return current_app.extensions["pamong"]
