"""Built-in modules: one package each, found by the module manager (never imported by the core by name)."""
