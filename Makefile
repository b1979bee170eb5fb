# Operator's entry points. Needs only python3 (>= 3.11), make and a C compiler on the machine;
# everything else is installed into .venv from PyPI.

# Prefer python3.11 (what the project is tested on), else the first python3.x that is >= 3.11.
# The version is checked because a pyenv shim can exist for a Python that is not installed.
PYTHON ?= $(shell for p in python3.11 python3 python3.13 python3.12; do \
	command -v $$p >/dev/null 2>&1 && \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && \
	{ echo $$p; break; }; done)

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Stamps are newer than pyproject.toml exactly when the installed set matches it.
STAMP_RUN := $(VENV)/.stamp-run
STAMP_DEV := $(VENV)/.stamp-dev

# Keep in step with KEYWORDS in scripts/check_catalog.py (babel.cfg cannot carry keywords).
BABEL_KEYWORDS := -k lazy_gettext -k lazy_ngettext:1,2 -k __ -k Tr -k N_
POT := locales/messages.pot
PO_FILES := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.DEFAULT_GOAL := help
.PHONY: help run api sandbox reset-sandbox migrate test lint bench bench-load bench-catalog bench-broadcast locales locales-update \
	check-catalog install install-dev clean distclean

help:
	@echo "make run             start the bot (sandbox at http://127.0.0.1:8080 without tokens)"
	@echo "                     and the HTTP API (docs at http://127.0.0.1:8000/docs)"
	@echo "make api             only the HTTP API (python -m bot api)"
	@echo "make test            run the test suite"
	@echo "make sandbox         local sandbox only (FLAVOUR=telegram|bale, PORT=8080)"
	@echo "make reset-sandbox   delete the sandbox's SQLite database and documents (asks; YES=1 does not)"
	@echo "make migrate         apply database migrations"
	@echo "make lint            ruff, mypy, import contracts and the translation catalog check"
	@echo "make bench           update throughput vs the echo and the framework floors (BENCH_ARGS=--profile)"
	@echo "make bench-load      the whole service in webhook mode under simulated people (1 and 2 workers)"
	@echo "make bench-catalog   course browsing on 1k vs 100k courses (BENCH_ARGS=--all ...)"
	@echo "make bench-broadcast a 10,000-recipient broadcast against enforced rate limits, and a kill"
	@echo "make locales         compile .po catalogs to .mo"
	@echo "make locales-update  extract strings from the code and merge them into the catalogs"
	@echo "make clean           remove compiled catalogs and caches (distclean: also .venv)"

# A fresh machine's pip can be too old for pyproject-only (PEP 660) editable installs.
$(PY):
	@test -n "$(PYTHON)" || { echo "error: need python3 >= 3.11 on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

# The dev extra is a superset of the runtime set, so it satisfies both stamps.
$(STAMP_DEV): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

# --use-fuzzy is deliberately absent: a fuzzy translation is a guess nobody has checked.
locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po | $(STAMP_RUN)
	$(BIN)/pybabel compile --domain messages --input-file $< --output-file $@

locales: $(MO_FILES)

run: $(STAMP_RUN) locales
	$(PY) -m bot run

api: $(STAMP_RUN)
	$(PY) -m bot api

FLAVOUR ?= telegram
PORT ?= 8080
sandbox: $(STAMP_RUN) locales
	$(PY) -m bot sandbox --flavour $(FLAVOUR) --port $(PORT)

# Refuses while a sandbox answers on PORT, and never touches PostgreSQL or Redis.
reset-sandbox: $(STAMP_RUN)
	$(PY) scripts/reset_sandbox.py --port $(PORT) $(if $(filter 1,$(YES)),--yes)

migrate: $(STAMP_RUN)
	$(PY) -m bot migrate

# One worker per CPU (pytest-xdist): each has its own databases, Redis key prefixes and ports.
TEST_WORKERS ?= auto
test: $(STAMP_DEV) locales
	$(PY) -m pytest -q -n $(TEST_WORKERS)

check-catalog: $(STAMP_RUN)
	$(PY) scripts/check_catalog.py

lint: $(STAMP_DEV) check-catalog
	$(BIN)/ruff check .
	$(BIN)/mypy bot services storage api
	$(BIN)/lint-imports

bench: $(STAMP_DEV) locales
	$(PY) bench/updates.py $(BENCH_ARGS)

bench-load: $(STAMP_DEV) locales
	$(PY) bench/load.py $(BENCH_ARGS)

bench-catalog: $(STAMP_DEV) locales
	$(PY) bench/catalog.py $(BENCH_ARGS)

bench-broadcast: $(STAMP_DEV) locales
	$(PY) bench/outbox_row.py $(BENCH_ARGS)
	$(PY) bench/broadcast.py $(BENCH_ARGS)

# New msgids land untranslated (or fuzzy, when close to an old one): `make check-catalog`
# lists them until a translator fills them in.
locales-update: $(STAMP_RUN)
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --sort-by-file -o $(POT) .
	$(BIN)/pybabel update -i $(POT) -d locales -D messages

clean:
	rm -f $(MO_FILES)
	rm -rf .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
