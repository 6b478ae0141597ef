"""The module manager: discovery, ordering by requires, clear start-up errors, the hook contract."""
import ast
import types

import pytest

from core import hookspecs
from core.errors import ModuleError
from core.hookspecs import hookimpl
from core.modules import ModuleManager


def plugin(name, requires=(), **hooks):
    mod = types.ModuleType(f"fake_{name}")
    mod.__file__ = __file__

    @hookimpl
    def module_info():
        return {"name": name, "title": name.title(), "version": "1", "requires": list(requires)}

    mod.module_info = module_info
    for hook_name, fn in hooks.items():
        setattr(mod, hook_name, hookimpl(fn))
    return mod


def test_modules_are_ordered_by_requires():
    manager = ModuleManager(extra_plugins=[plugin("fake_zeta", ["fake_alpha"]), plugin("fake_alpha"), plugin("fake_mid", ["fake_zeta"])])
    names = [n for n in manager.modules if n.startswith("fake_")]
    assert names == ["fake_alpha", "fake_zeta", "fake_mid"]


def test_missing_requirement_names_the_module():
    with pytest.raises(ModuleError, match="module 'fake_grants' requires 'fake_payments', which is not installed"):
        ModuleManager(extra_plugins=[plugin("fake_grants", ["fake_payments"])])


def test_circular_requirement_names_the_cycle():
    with pytest.raises(ModuleError, match="circular requirement: (fake_a -> fake_b -> fake_a|fake_b -> fake_a -> fake_b)"):
        ModuleManager(extra_plugins=[plugin("fake_a", ["fake_b"]), plugin("fake_b", ["fake_a"])])


def test_misspelt_hook_fails_loudly():
    bad = plugin("fake_typo")

    @hookimpl
    def nav_itemz(tenant):
        return []

    bad.nav_itemz = nav_itemz
    with pytest.raises(ModuleError, match="module 'fake_typo' implements an unknown hook"):
        ModuleManager(extra_plugins=[bad])


def test_module_failing_to_import_names_the_module(monkeypatch):
    from importlib.metadata import EntryPoint

    import core.modules as modules

    broken = EntryPoint(name="broken", value="no_such_package_xyz", group="pamong.modules")
    monkeypatch.setattr(modules, "entry_points", lambda group: [broken])
    with pytest.raises(ModuleError, match="module 'broken' failed to import"):
        ModuleManager()


def test_the_same_module_twice_is_refused():
    with pytest.raises(ModuleError, match="module 'fake_dup' is installed twice"):
        ModuleManager(extra_plugins=[plugin("fake_dup"), plugin("fake_dup")])


def test_every_hook_is_documented():
    tree = ast.parse(open(hookspecs.__file__).read())
    specs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert len(specs) >= 12
    assert [s.name for s in specs if not (ast.get_docstring(s) or "").strip()] == []


def test_core_defaults_are_plugins_that_modules_can_override():
    manager = ModuleManager()
    impls = manager.pm.hook.permissions.get_hookimpls()
    core = [i for i in impls if i.plugin_name == "core"]
    assert core and core[0].trylast


def test_disabled_module_is_not_loaded(app):
    manager = ModuleManager(extra_plugins=[], disabled={"complaints"})
    assert "complaints" not in manager.modules
