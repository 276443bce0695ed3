# Byline's tasks. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ./byline-data
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint format golden docs bench audit browser-deps node-deps clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@echo "Installing Byline's libraries into $(VENV) (once; about a minute)…"
	@$(PYTHON) -m venv $(VENV)

# Re-install only when the lock file or the project's metadata changes.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(VENV)/.installed ## create .venv and install the pinned dependencies (idempotent)

run: install ## serve the demo site on http://127.0.0.1:8000 (PORT=8080 for another port; logs in ./byline-data/logs/)
	@test -f $(DATA)/byline.sqlite3 || $(BIN)/byline init --data $(DATA) --demo
	@$(BIN)/byline serve --data $(DATA) --host 127.0.0.1 --port $(PORT)

browser-deps: ## Debian's Chromium for the browser tests and nginx for the deployment configs' test (apt-get, as root)
	@{ command -v chromium >/dev/null 2>&1 && { command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx; }; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx-light >/dev/null; \
	  else echo "The tests need Debian's chromium and nginx: sudo apt-get install chromium nginx-light"; fi; }

# axe-core for the accessibility tests, from the committed package-lock.json.
node-deps: ## npm ci: the Node packages the browser tests use (axe-core)
	cd tests/browser/node && npm ci --no-audit --no-fund --silent

test: install browser-deps node-deps ## install, then run the whole suite (SQLite; PostgreSQL when BYLINE_TEST_DATABASE_URL is set)
	$(BIN)/pytest -n 2 --dist loadgroup

test-fast: install ## the suite without the browser tests
	$(BIN)/pytest -n 2 -m "not browser"

lint: install ## ruff (lint, complexity, format check) and import-linter (the packages' shape, .importlinter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install ## ruff: fix what can be fixed, format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

audit: install ## known vulnerabilities in the pinned packages (pip-audit; npm audit for tests/api/node); skipped, and said, with no network
	BIN=$(BIN) .ci/audit

golden: install ## refresh the golden HTML of the default theme's key pages
	$(BIN)/pytest tests/site/test_golden.py --update-golden

docs: install ## regenerate docs/configuration.md from the option declarations
	$(BIN)/python -m byline.options.docs > docs/configuration.md

bench: install ## Byline against WordPress, Wagtail and nginx in one run, as root (DURATION=3 for a smoke run; bench/README.md)
	bench/anchors.sh
	$(BIN)/python bench/run.py

clean: ## remove the virtualenv (your ./byline-data stays)
	rm -rf $(VENV)
