# Lantern: `make run` serves the demo marathon, `make test` runs every check and test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# PostgreSQL used by `make test` when reachable (trust auth on loopback, as on a dev server).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run serve test check lint typecheck test-sqlite test-postgres bench clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Lantern needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(PIP) install --quiet -r requirements-test.lock
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py collectstatic --no-input -v0
	$(PY) manage.py load_demo
	@echo "Serving Lantern on http://127.0.0.1:8000/campaigns/write-for-rights-2012/ (Ctrl-C stops)"
	@$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# Production: granian with WEB_WORKERS processes (see .env.example); run `manage.py db_worker` beside it.
serve: $(VENV)/.installed
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py collectstatic --no-input -v0
	$(PY) manage.py serve

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(VENV)/bin/mypy .

check: lint typecheck
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) manage.py check

test-sqlite: $(VENV)/.installed-test
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: $(VENV)/.installed-test
	@if $(PY) -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_POSTGRES_URL)" 2>/dev/null; then \
	  echo "== PostgreSQL at $(TEST_POSTGRES_URL)"; \
	  DATABASE_URL="$(TEST_POSTGRES_URL)" $(PY) -m pytest; \
	elif [ -n "$$LANTERN_REQUIRE_ALL" ]; then \
	  echo "PostgreSQL is required (LANTERN_REQUIRE_ALL is set) but $(TEST_POSTGRES_URL) is not reachable"; exit 1; \
	else \
	  echo "== SKIPPED the PostgreSQL run: no server at $(TEST_POSTGRES_URL) (set TEST_POSTGRES_URL)"; \
	fi

test: check
	@echo "== SQLite"
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

bench: $(VENV)/.installed-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
