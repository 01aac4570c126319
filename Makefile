# Industria — the two commands: `make demo` and `make test`.  See README.md and DEVELOPERS.md.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_SCALE ?= city
DEMO_SEED ?= 2025
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: demo stop test test-fast test-browser lint bench setup static messages migrate seed clean help

help:
	@echo "make demo   — install everything, load the Shanghai plan and a synthetic city, start web + worker"
	@echo "make test   — lint, architecture contracts, the whole suite (browser tests when chromium is installed)"
	@echo "make bench  — benchmarks (bench/), figures in docs/benchmarks.md"
	@echo "make lint   — ruff, import-linter, migrations check"
	@echo "make stop   — stop the demo web server and worker"

# --- setup ---------------------------------------------------------------------------------------------------
$(BIN)/industria: requirements.lock pyproject.toml
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"' 
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || { echo "python venv failed: on Debian run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

static: industria/static/vendor/manifest.json

industria/static/vendor/manifest.json: frontend/package.json frontend/package-lock.json frontend/build.mjs
	@command -v npm >/dev/null || scripts/ensure-debian-packages nodejs npm
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && node build.mjs

messages: $(BIN)/industria
	$(BIN)/industria compile-messages

setup: $(BIN)/industria static messages

migrate: setup
	$(BIN)/industria migrate --noinput

seed: migrate
	$(BIN)/industria seed-demo --scale $(DEMO_SCALE) --seed $(DEMO_SEED)

# --- the two commands -------------------------------------------------------------------------------------------
demo: seed
	@DEMO_HOST=$(DEMO_HOST) DEMO_PORT=$(DEMO_PORT) scripts/demo start

stop:
	@scripts/demo stop

test: lint test-fast test-browser

test-fast: setup
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -p no:randomly

test-browser: setup
	@if command -v chromium >/dev/null || [ -n "$$INDUSTRIA_REQUIRE_BROWSER" ]; then \
		$(BIN)/python -m pytest -q -m browser -p no:xdist; \
	else echo "chromium is not installed: browser tests skipped (apt-get install chromium; CI always runs them)"; fi

lint: $(BIN)/industria
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/industria makemigrations --check --dry-run

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) frontend/node_modules industria/static/vendor var
