# tracker: the two commands a newcomer needs are `make run` and `make test` (see README.md).
# Everything else here is what those two are made of.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-pyproject
FLASK := $(BIN)/flask --app wsgi
PYTEST := $(BIN)/python -m pytest

# Test databases (override on the command line: make test-postgres POSTGRES_URL=...).
SQLITE_URL ?=
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
MARIADB_URL ?= mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4
PYTEST_ARGS ?=

CHROMIUM := /usr/bin/chromium
TRANSLATIONS := tracker/translations
POT := $(TRANSLATIONS)/messages.pot

.PHONY: help setup run test test-sqlite test-postgres test-mariadb chromium lint format \
	translations translations-extract translations-update db-upgrade demo clean

help:
	@echo "make run    set everything up and serve the app on http://127.0.0.1:5000"
	@echo "make test   set everything up and run lint + the tests on SQLite, PostgreSQL, MariaDB"
	@echo "Other targets: setup lint format translations translations-extract"
	@echo "  translations-update db-upgrade demo test-sqlite test-postgres test-mariadb clean"

# --- setup -------------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing tracker and its dependencies into $(VENV) (log: $(VENV)/pip.log)..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]' \
		> $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $(STAMP)

setup: $(STAMP)

# --- running the app ---------------------------------------------------------------------------

db-upgrade: setup
	$(FLASK) db upgrade

# Loads the demo data; refuses a database that already holds data.
demo: db-upgrade
	$(FLASK) demo load

# Serves the app with the embedded SQLite database in instance/ (or DATABASE_URL if set), with
# the reminder scheduler beside it on the same database. Both run in the background of one
# shell that waits for the web server: Ctrl+C, `kill` or the server ending stops both (the
# scheduler finishes a running cycle first).
# The demo credentials are printed only by the run that loads them (an empty database).
run: setup translations db-upgrade
	$(FLASK) demo load --if-empty
	@scheduler= server=; \
	trap 'kill $$server $$scheduler 2>/dev/null || true; wait' EXIT; \
	trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(FLASK) scheduler & scheduler=$$!; \
	$(FLASK) --no-debug run --host 127.0.0.1 --port 5000 & server=$$!; \
	wait $$server

# --- translations (msgids are Indonesian; the English catalog lives in tracker/translations/en) --

# Compiles every catalog present; does nothing while there is none yet.
translations: setup
	@if compgen -G "$(TRANSLATIONS)/*/LC_MESSAGES/messages.po" > /dev/null; then \
		$(BIN)/pybabel -q compile -d $(TRANSLATIONS); \
	else \
		echo "translations: no catalog in $(TRANSLATIONS) yet, nothing to compile"; \
	fi

# Collects every _() / _l() string of the code and templates into the template catalog.
translations-extract: setup
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -o $(POT) .

# Brings the English catalog up to date with the template (creates it the first time).
translations-update: translations-extract
	@if [ -f $(TRANSLATIONS)/en/LC_MESSAGES/messages.po ]; then \
		$(BIN)/pybabel update -i $(POT) -d $(TRANSLATIONS) -l en; \
	else \
		$(BIN)/pybabel init -i $(POT) -d $(TRANSLATIONS) -l en; \
	fi

# --- quality -----------------------------------------------------------------------------------

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# --- tests -------------------------------------------------------------------------------------
# A failing run stops `make test`. pytest exits 5 when it collected no test: make treats that
# as a failure too, so an empty run never passes silently.

test: setup chromium lint translations test-sqlite test-postgres test-mariadb
	@echo "All test runs passed (SQLite, PostgreSQL, MariaDB)."

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@if [ -x $(CHROMIUM) ]; then \
		:; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	else \
		echo "NOTE: $(CHROMIUM) is missing and we are not root: the browser tests will be skipped."; \
		echo "      Install it with: sudo apt-get install chromium"; \
	fi

test-sqlite: setup
	@echo "=== tests on SQLite ==="
	$(if $(SQLITE_URL),TEST_DATABASE_URL='$(SQLITE_URL)',env -u TEST_DATABASE_URL) \
		$(PYTEST) $(PYTEST_ARGS)

test-postgres: setup
	@echo "=== tests on PostgreSQL ==="
	$(BIN)/python scripts/check_db.py '$(POSTGRES_URL)'
	TEST_DATABASE_URL='$(POSTGRES_URL)' $(PYTEST) $(PYTEST_ARGS)

test-mariadb: setup
	@echo "=== tests on MariaDB ==="
	$(BIN)/python scripts/check_db.py '$(MARIADB_URL)'
	TEST_DATABASE_URL='$(MARIADB_URL)' $(PYTEST) $(PYTEST_ARGS)

# --- housekeeping ------------------------------------------------------------------------------

# Removes the virtualenv, caches and compiled catalogs; keeps instance/ (your data).
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find $(TRANSLATIONS) -name '*.mo' -delete
