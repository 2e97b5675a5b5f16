# Two commands a newcomer needs: `make run` (serve the menu) and `make test` (every test).
# Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run sim test lint validate schema bench load lock screenshots clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	IVR_ENV=development $(BIN)/flask --app server:app run --host 127.0.0.1 --port 5000

sim: $(STAMP)
	$(BIN)/ivr simulate

test: lint
	$(BIN)/python -m pytest

# Lint, formatting, types and the import contracts (pyproject.toml's [tool.importlinter]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Re-lock every dependency, with hashes, from the ranges in pyproject.toml.
LOCK := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools==7.7.0  # the locking tool, locked too
	$(BIN)/pip-compile $(LOCK) -o requirements.txt pyproject.toml
	$(BIN)/pip-compile $(LOCK) --extra dev -o requirements-dev.txt pyproject.toml

bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/speech.py

# Sustained load with records counted: SQLite, and PostgreSQL too (scripts/postgres.sh).
load: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python bench/load.py --database-url "$$(scripts/postgres.sh)"

# The README's pictures of the browser phone, taken again in Chromium (scripts/chromium.sh).
screenshots: $(STAMP)
	$(BIN)/python -m pytest -q tests/browser/test_workbench.py -k screenshots

validate: $(STAMP)
	$(BIN)/ivr validate menus.yaml

schema: $(STAMP)
	$(BIN)/ivr schema > menus.schema.json

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
