"""The browser tests' fixtures (``live_app``, ``live_server``, ``browser``, ``page``, ``screenshot``)
come from the pamong pytest plugin, ``core/testing.py``, so a module's own browser tests (in-tree or
published) use the same ones. Chromium: ``$PAMONG_CHROMIUM``, default Debian's ``/usr/bin/chromium``."""
