# OpenPES: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
PORT ?= 8000
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test ci lint typecheck check-migrations check-messages messages messages-update setup-run setup-test bench clean-db

run: setup-run
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) createcachetable
	$(MANAGE) load_reference
	$(MANAGE) import_esco --if-empty --skip-missing
	$(MANAGE) build_isco_coder --if-missing
	$(MANAGE) load_demo
	$(MANAGE) serve --port $(PORT)

test: setup-test
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

ci: setup-test lint typecheck check-migrations check-messages test

setup-run: $(VENV)/.run-installed node_modules/.installed messages
	@mkdir -p var

setup-test: $(VENV)/.test-installed node_modules/.installed messages
	@scripts/ensure-debian-packages test
	@mkdir -p var

$(VENV)/.run-installed: requirements.txt
	@scripts/ensure-debian-packages run
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.test-installed: requirements-dev.txt $(VENV)/.run-installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

messages: locale/km/LC_MESSAGES/django.mo locale_vendor/km/LC_MESSAGES/django.mo

%.mo: %.po
	msgfmt --check-format -o $@ $<

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint openpes --check --quiet
	$(VENV)/bin/djlint openpes --lint --quiet

typecheck:
	$(VENV)/bin/mypy openpes

check-migrations:
	$(MANAGE) makemigrations --check --dry-run

check-messages:
	$(PY) scripts/check_messages.py

# After changing user-facing strings: refresh the catalogue, then translate the new entries.
messages-update:
	$(PY) scripts/check_messages.py --update

bench:
	@echo "Benchmarks live in bench/; see bench/README.md"

clean-db:
	rm -f var/openpes.sqlite3*
