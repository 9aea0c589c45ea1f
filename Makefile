# JIPP portal. `make run` serves the portal with demo data; `make test` runs the whole suite.
# Everything installs into .venv from requirements.lock (exact versions with hashes, made from
# pyproject.toml by `make lock`); a second run reinstalls only when either changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_N ?= 1000000
LOADTEST_N ?= 100000
LOADTEST_MODE ?=
TEST_WORKERS ?= auto
TEMPLATE_DIRS := $(wildcard templates */templates */*/templates)

# Local runs use the embedded PostgreSQL under var/ unless DATABASE_URL is set (in the environment or
# on the command line): the settings only read DATABASE_URL, so its URL is passed in here. Asked for
# once per make run, and only by targets that use it. `make test` needs none: the pytest plugin
# (jipp/testing/plugin.py) starts the server itself.
DB_URL = $(eval DB_URL := $(or $(DATABASE_URL),$(shell $(PY) -m jipp.embedded_db url)))$(if \
	$(DB_URL),$(DB_URL),$(error The embedded PostgreSQL did not start: see the message above))
LOCAL_ENV = DJANGO_SETTINGS_MODULE=jipp.settings JIPP_DEMO=1 JIPP_INSECURE_HTTP=1 \
	ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY="$$(cat var/secret_key)" DATABASE_URL='$(DB_URL)'

.PHONY: reset-db run dev worker setup test lint format bench db-start db-stop stop clean help messages messages-compile \
	loadtest faults lock lock-check

help:
	@echo "make run    serve the portal with demo data (gunicorn, production settings) on http://$(HOST):$(PORT)/,"
	@echo "            with a background-job worker beside it"
	@echo "make dev    the auto-reloading development server with DEBUG on (no worker: see make worker)"
	@echo "make worker a background-job worker (one more; they share the queue in PostgreSQL)"
	@echo "make test   run the whole test suite in parallel (ARGS='-k name' to narrow it, TEST_WORKERS=0 for one process)"
	@echo "make lint   lock file current, ruff check, ruff format --check, makemigrations --check, djhtml --check"
	@echo "make format ruff format and fixes, djhtml over the templates"
	@echo "make lock   recompile requirements.lock from pyproject.toml (after changing dependencies)"
	@echo "make bench  benchmark search shapes and pages at BENCH_N innovations (default 1,000,000; ARGS='--requests 20')"
	@echo "make loadtest  gunicorn + wrk over loopback at LOADTEST_N innovations (default 100,000)"
	@echo "               LOADTEST_MODE=cold (or ARGS=--cold): every request a new URL, pages and search shapes"
	@echo "               against the cold goals (ratios to /healthz), a Markdown table, bench/results/loadtest-cold.json"
	@echo "make faults    PostgreSQL restart, SIGTERM under load, two app servers, a streaming replica, an SMTP outage (needs PostgreSQL and Redis)"
	@echo "make stop   stop the embedded PostgreSQL"
	@echo "make reset-db  delete the local embedded database (var/pgdata); make run builds a new one"

# Exactly the locked versions (hash-checked), then the project itself without resolving anything more.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -m jipp.lockfile check
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps ".[dev]"
	@touch $(STAMP)

# pip-tools resolves pyproject.toml's dependencies (runtime and dev) into requirements.lock with hashes;
# pins already in the lock are kept unless pyproject.toml asks otherwise (LOCK_ARGS=--upgrade moves
# them all). Needs only pip-tools in .venv, not a current install (the lock may be out of date).
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(VENV)/bin/pip-compile || $(PY) -m pip install --quiet \
		"$$(grep -oE 'pip-tools==[0-9.]+' pyproject.toml)"
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes \
		--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock $(LOCK_ARGS) pyproject.toml
	$(PY) -m jipp.lockfile stamp

lock-check:
	@$(PYTHON) -m jipp.lockfile check

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	@chmod 600 var/secret_key

db-start: $(STAMP)
	@$(PY) -m jipp.embedded_db start

db-stop stop:
	@test -x $(PY) && $(PY) -m jipp.embedded_db stop || true

setup: $(STAMP) var/secret_key
	$(LOCAL_ENV) $(PY) manage.py check_migration_history -v 0
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	$(LOCAL_ENV) $(PY) manage.py load_regions
	$(LOCAL_ENV) $(PY) manage.py load_agencies
	$(LOCAL_ENV) $(PY) manage.py seed_demo
	@$(MAKE) --no-print-directory messages-compile
	$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput -v 0

# gunicorn and one background-job worker, stopped together by Ctrl-C (jipp/ops/serve.py).
run: setup
	@echo "Serving the JIPP portal on http://$(HOST):$(PORT)/ with a job worker (Ctrl-C to stop; 'make stop' stops the database)"
	$(LOCAL_ENV) $(PY) -m jipp.ops.serve --bind $(HOST):$(PORT)

# The auto-reloading server alone: run `make worker` in another terminal for background jobs.
dev: setup
	$(LOCAL_ENV) DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# One more background-job worker on this database (as many as you like, here or on other machines).
worker: $(STAMP) var/secret_key
	$(LOCAL_ENV) $(PY) manage.py procrastinate worker $(ARGS)

# In parallel (pytest-xdist, one worker per core): each worker has its own test database; tests that
# share a fixed resource run in one worker (xdist_group, tests/conftest.py).
test: $(STAMP)
	@$(MAKE) --no-print-directory messages-compile
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(ARGS)

lint: $(STAMP) lock-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m jipp.layers
	$(VENV)/bin/djhtml --check $(TEMPLATE_DIRS)

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djhtml $(TEMPLATE_DIRS)

bench: $(STAMP) var/secret_key
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput -v 0
	$(LOCAL_ENV) $(PY) manage.py load_regions
	$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(LOCAL_ENV) $(PY) bench/run.py --count $(BENCH_N) $(ARGS)

# ops: load and fault tests (bench/loadtest.py, bench/faults/). wrk comes from Debian, like Chromium in .ci/run.
loadtest: $(STAMP) var/secret_key
	@command -v wrk >/dev/null || { echo "Installing wrk"; apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@$(MAKE) --no-print-directory messages-compile
	DATABASE_URL='$(DB_URL)' $(PY) bench/loadtest.py --count $(LOADTEST_N) \
		$(if $(filter cold,$(LOADTEST_MODE)),--cold) $(ARGS)

faults: $(STAMP) var/secret_key
	@$(MAKE) --no-print-directory messages-compile
	$(PY) bench/faults/run_all.py $(ARGS)

# Delete the local embedded database (var/pgdata) and its demo data; `make run` builds a new one.
reset-db: stop
	rm -rf var/pgdata

clean: stop
	rm -rf var/static var/media

# Translation catalogs: the compiled .mo files are committed, so msgfmt (GNU gettext) is optional.
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l id --ignore=.venv --ignore=var --ignore=bench --no-obsolete
	@$(MAKE) --no-print-directory messages-compile

messages-compile: $(STAMP)
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0; \
	else echo "msgfmt not found: using the committed .mo files"; fi
