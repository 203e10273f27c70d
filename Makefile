# Two commands for a fresh machine: `make serve` runs the explorer, `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: serve test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/alliances serve --host 127.0.0.1 --port $(or $(PORT),8000)

lint: $(STAMP)
	$(BIN)/ruff check app graph_schema tests scripts
	$(BIN)/ruff format --check app graph_schema tests scripts
	$(BIN)/mypy
	$(BIN)/python -m graph_schema.generate --check
	$(BIN)/alliances validate

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
