# Two commands for a fresh machine: `make serve` runs the explorer, `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The local Neo4j server (neo4j_local/README.md); its jars and databases live under
# ~/.cache/alliance-explorer/neo4j, outside the git tree.
NEO4J_LOCAL := python3 neo4j_local/neo4j_local.py
NEO4J_TEST_URI ?= bolt://127.0.0.1:7687

.PHONY: serve test lint install clean neo4j-start neo4j-stop load bench browser-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The browser tests drive Debian's Chromium (Playwright never downloads a browser); label widths
# in the charts are measured with Liberation Sans. Installed from Debian when missing (as root).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-liberation >/dev/null 2>&1; then \
		echo "installing Debian packages chromium fonts-liberation" >&2; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null \
		|| echo "make: could not install chromium (need root); the browser tests will fail" >&2; \
	fi

# PORT=8001 picks the port; WORKERS=2 runs two API processes (over Neo4j they stay consistent;
# on the embedded store POST /admin/reload is then refused, see SECURITY.md).
serve: $(STAMP)
	$(BIN)/alliances serve --host 127.0.0.1 --port $(or $(PORT),8000) --workers $(or $(WORKERS),1)

lint: $(STAMP)
	$(BIN)/ruff check app graph_schema tests scripts
	$(BIN)/ruff format --check app graph_schema tests scripts
	$(BIN)/mypy
	$(BIN)/python -m graph_schema.generate --check
	$(BIN)/alliances validate

# The whole suite on both stores: embedded, and a real Neo4j that this target starts (fetching it
# on a fresh machine) and stops again, also when tests fail; a Neo4j that was already running is
# left running. If Neo4j cannot start, the suite still runs: its embedded half passes, its Neo4j
# half fails saying how to start it, and the exit code is non-zero either way.
test: lint browser-deps
	@was_running=0; $(NEO4J_LOCAL) status >/dev/null 2>&1 && was_running=1; \
	stop_neo4j() { if [ $$was_running = 0 ]; then $(NEO4J_LOCAL) stop; fi; }; \
	trap 'stop_neo4j; exit 130' INT TERM; \
	started=1; \
	if [ $$was_running = 0 ]; then $(NEO4J_LOCAL) start || started=0; fi; \
	if [ $$started = 0 ]; then echo "make test: Neo4j did not start; its half of the suite will fail" >&2; fi; \
	NEO4J_TEST_URI=$(NEO4J_TEST_URI) $(BIN)/pytest; status=$$?; \
	stop_neo4j; \
	if [ $$started = 0 ] && [ $$status = 0 ]; then status=1; fi; \
	exit $$status

neo4j-start:
	$(NEO4J_LOCAL) start

neo4j-stop:
	$(NEO4J_LOCAL) stop

# Validate the seeds and load them into Neo4j: NEO4J_URI (default the local server), NEO4J_USER,
# NEO4J_PASSWORD; LOAD_ARGS=--prune removes what the seeds no longer hold.
load: $(STAMP)
	NEO4J_URI=$${NEO4J_URI:-bolt://127.0.0.1:7687} $(BIN)/alliances load $(LOAD_ARGS)

# Benchmarks (issue 6): report, never fail. Writes bench/results/latest.json and cost_vs_size.png.
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
