# Pamong: `make demo` runs the kit on SQLite; `make test` runs every test.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
PYBABEL := $(BIN)/pybabel
CATALOGS := core/translations $(wildcard modules/*/translations)

.PHONY: install install-run demo test test-fast translations i18n-extract i18n-check chromium pdf-libs services bench bench-complaints bench-documents bench-eoffice bench-permits bench-clinic bench-remuneration bench-scaleout wrk clean

PORT    ?= 5000
# setuptools' note on every editable install of a flat layout says nothing a newcomer can act on
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install -q

# What the kit needs to run (make demo); then the test extras on top (make install / make test).
$(BIN)/.installed-run: pyproject.toml | pdf-libs
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(PIP_INSTALL) -e .
	touch $@

$(BIN)/.installed: $(BIN)/.installed-run
	$(PIP_INSTALL) -e '.[test]'
	touch $@

install-run: $(BIN)/.installed-run

install: $(BIN)/.installed

# Compile every catalogue (the core's and each module's own domain).
translations: install-run
	@for dir in $(CATALOGS); do \
	  domain=$$(basename $$(dirname $$dir)); [ "$$dir" = core/translations ] && domain=messages; \
	  $(PYBABEL) compile -f -d $$dir -D $$domain || exit 1; \
	done

# Extract messages into the catalogues (developers, after changing strings).
i18n-extract: install
	$(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext -o core/translations/messages.pot core templates cli.py
	$(PYBABEL) update -N -i core/translations/messages.pot -d core/translations -D messages
	@for dir in $(wildcard modules/*/translations); do \
	  mod=$$(basename $$(dirname $$dir)); \
	  $(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext -o $$dir/$$mod.pot modules/$$mod; \
	  $(PYBABEL) update -N -i $$dir/$$mod.pot -d $$dir -D $$mod; \
	done
	$(BIN)/python -m core.i18n_check --fill-english $(CATALOGS)

# Fails if any message of any catalogue is untranslated or fuzzy.
i18n-check: i18n-extract
	$(BIN)/python -m core.i18n_check $(CATALOGS)

# Browser tests drive Debian's Chromium (no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint (core/documents) lays text out with Debian's pango and harfbuzz; installed when missing.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs:
	@missing=$$(for p in $(PDF_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian's $$missing for PDF documents"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

# make demo PORT=5050: the port is checked first (a taken port or PORT=abc: one line, exit 2).
ifneq ($(filter demo,$(MAKECMDGOALS)),)
PORT_ERROR := $(shell $(PYTHON) -P core/demo_port.py '$(subst ','',$(PORT))' 2>&1)
ifneq ($(PORT_ERROR),)
$(error $(PORT_ERROR))
endif
endif

demo: translations
	PAMONG_DEMO=1 PAMONG_INSECURE_COOKIES=1 $(BIN)/pamong demo --port $(PORT)

# The SQLite half (with the tests that take no database) and the PostgreSQL half run side by side:
# each makes its own app and database (core/testing.py --backend). The SQLite half's report follows.
test: install translations chromium
	@log=$$(mktemp); \
	$(BIN)/pytest --backend sqlite -p no:cacheprovider >$$log 2>&1 & half=$$!; \
	$(BIN)/pytest --backend postgres; rc=$$?; \
	wait $$half; rc_sqlite=$$?; \
	echo "---- the SQLite half ----"; cat $$log; rm -f $$log; \
	echo "PostgreSQL half: exit $$rc; SQLite half: exit $$rc_sqlite"; \
	[ $$rc -eq 0 ] && [ $$rc_sqlite -eq 0 ]

test-fast: install translations
	$(BIN)/pytest -m "not browser"

bench: install translations
	$(BIN)/python bench/tenants.py

# Complaints lists with 100,000 rows in one tenant and 1,000,000 in all (PostgreSQL; a scratch
# database <name>_cbench is made beside BENCH_DATABASE_URL and dropped), served by gunicorn as in
# production (installed first). Smaller: make bench-complaints ROWS=100000
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1/postgres
ROWS ?= 1000000
bench-complaints: install translations
	$(PIP_INSTALL) -e '.[serve]'
	$(BIN)/python bench/complaints.py --database-url $(BENCH_DATABASE_URL) --rows $(ROWS)

# Clinic queues: a 1,100-patient day and 50 clinics at once, against bare baselines (PostgreSQL).
bench-clinic: install translations
	$(BIN)/python bench/clinic.py --database-url $(BENCH_DATABASE_URL)

# The permits queue and register with 100,000 applications against a bare page (PostgreSQL when
# BENCH_DATABASE_URL is set, else SQLite).
bench-permits: install translations
	$(BIN)/python bench/permits.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL),)

# Seconds to render, sign and register one letter, and letters per minute on one core (SQLite).
bench-documents: translations
	$(BIN)/python bench/documents.py

# 1,000 concurrent e-office signings in one unit (PostgreSQL) against a bare counter increment.
bench-eoffice: install translations
	$(BIN)/python bench/eoffice.py --database-url $(BENCH_DATABASE_URL)

# A monthly TPP run for 18,000 employees x 22 working days (SQLite): seconds and peak memory vs bare SQL.
bench-remuneration: translations
	$(BIN)/python bench/remuneration.py

# wrk (Debian's package) is the benchmarks' load generator; installed when missing.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing Debian's wrk for the benchmarks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# Tenant home pages flat in the tenant's data (100,000 complaints against none) and gunicorn with
# 1 and 2 workers, against a bare Flask app rendering the same captured pages (PostgreSQL + Redis).
bench-scaleout: install translations wrk
	$(PIP_INSTALL) -e '.[serve]'
	$(BIN)/python bench/scaleout.py --database-url $(BENCH_DATABASE_URL) --rows $(ROWS)

clean:
	rm -rf $(VENV) instance .pytest_cache
