# 서울노동아카데미 LMS — the two commands of the README, and a few helpers.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
LOCK := requirements/dev.lock
STAMP := $(VENV)/.installed

.PHONY: run test install lint lock check clean bench

run: install ## Serve the product with demo data, a Celery worker and beat (Ctrl-C stops all)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --quiet-table
	PORT=$(PORT) PY=$(PY) scripts/run.sh

test: install ## Run the whole pytest suite (embedded default, or the services in the environment)
	$(VENV)/bin/pytest

bench: install ## Run benchmarks/*.py on PostgreSQL (DATABASE_URL) and write benchmarks/RESULTS.md
	$(PY) benchmarks/run_all.py $(BENCH_ARGS)

install: $(STAMP) node_modules/.installed

$(STAMP): $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	@touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules/.installed

lint: install ## ruff, the import contracts, Django's checks, and migrations up to date
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

lock: install ## Re-pin requirements/*.lock from requirements/*.in (names, versions, hashes only)
	$(PY) -m pip install --quiet uv
	cd requirements && ../$(VENV)/bin/uv pip compile --quiet --python-version 3.11 --generate-hashes --no-header --override overrides.txt base.in -o base.lock
	cd requirements && ../$(VENV)/bin/uv pip compile --quiet --python-version 3.11 --generate-hashes --no-header --override overrides.txt dev.in -o dev.lock
	npm install --package-lock-only --no-audit --no-fund --loglevel=error
	$(PY) scripts/strip_lock_urls.py package-lock.json requirements/base.lock requirements/dev.lock

clean:
	rm -rf $(VENV) var static_collected node_modules
