# Two commands for a fresh machine: `make serve` runs the explorer, `make test` runs everything.
# A bare `make` lists the targets (`make help`). Every target's `## ` line is its help text.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The local Neo4j server (neo4j_local/README.md); its jars and databases live under
# ~/.cache/alliance-explorer/neo4j (or ALLIANCE_NEO4J_HOME), outside the git tree.
NEO4J_LOCAL := python3 neo4j_local/neo4j_local.py
NEO4J_CACHE := $(or $(ALLIANCE_NEO4J_HOME),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/alliance-explorer/neo4j)
# The suite's own Neo4j, beside the user's (`make neo4j-start`, `make serve`): a home of its own per
# checkout, sharing the user's jars, on two free ports chosen at each run (TEST_NEO4J_BOLT_PORT and
# TEST_NEO4J_HTTP_PORT pin them). The suite never reads NEO4J_URI/NEO4J_TEST_URI from the caller.
TEST_NEO4J_HOME ?= $(NEO4J_CACHE)-suite-$(shell printf '%s' '$(CURDIR)' | cksum | cut -d' ' -f1)
TEST_NEO4J_BOLT_PORT ?=
TEST_NEO4J_HTTP_PORT ?=

.PHONY: help serve test lint install clean neo4j-start neo4j-stop load bench browser-deps screenshots

help: ## list the targets and the variables they read
	@echo "make TARGET, one of:"
	@awk -F':.*## ' '/^[a-z][a-z0-9-]*:.*## / { printf "  %-13s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo "variables: PORT=8000 (serve), NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (serve, load),"
	@echo "  TEST_NEO4J_HOME / TEST_NEO4J_BOLT_PORT / TEST_NEO4J_HTTP_PORT (test: the suite's own Neo4j;"
	@echo "  free ports by default), LOAD_ARGS=--prune (load), BENCH_ARGS (bench), PYTHON=python3 (install)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv with the project and its dev tools (the other targets do it when needed)

# The browser tests drive Debian's Chromium (Playwright never downloads a browser); label widths
# in the charts are measured with Liberation Sans. Installed from Debian when missing (as root).
# apt waits up to APT_LOCK_WAIT seconds for a dpkg lock another apt holds; a failure prints apt's
# own last lines, and the browser tests then fail saying what is missing.
APT_LOCK_WAIT ?= 120
APT := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) -q
browser-deps: ## install Debian's chromium and fonts-liberation for the browser tests, when missing
	@if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-liberation >/dev/null 2>&1; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "make: chromium or fonts-liberation is missing and installing them needs root:" \
				"run 'sudo make browser-deps' (the browser tests will fail until then)" >&2; \
		else \
			echo "installing Debian packages chromium fonts-liberation (waiting up to $(APT_LOCK_WAIT) s for the dpkg lock)" >&2; \
			log=$$(mktemp); \
			if ! { $(APT) update && $(APT) install -y chromium fonts-liberation; } >"$$log" 2>&1; then \
				echo "make: apt-get could not install chromium fonts-liberation; its last lines:" >&2; \
				tail -n 5 "$$log" | sed 's/^/  /' >&2; \
				echo "make: the browser tests will fail until they are installed" >&2; \
			fi; \
			rm -f "$$log"; \
		fi; \
	fi

# PORT=8001 picks another port (a busy one is refused in one line naming PORT); WORKERS=2 runs two
# API processes (over Neo4j they stay consistent; on the embedded store POST /admin/reload is then
# refused, see SECURITY.md).
serve: $(STAMP) ## run the explorer on http://127.0.0.1:8000/ (PORT=N: another port; WORKERS=N; NEO4J_URI: Neo4j)
	$(BIN)/alliances serve --host 127.0.0.1 --port $(or $(PORT),8000) --workers $(or $(WORKERS),1)

lint: $(STAMP) ## ruff, ruff format --check, mypy, schema drift, seed validation
	$(BIN)/ruff check app graph_schema tests scripts bench
	$(BIN)/ruff format --check app graph_schema tests scripts bench
	$(BIN)/mypy
	$(BIN)/python -m graph_schema.generate --check
	$(BIN)/alliances validate

# The whole suite on both stores: embedded, and a real Neo4j of the suite's own that this target
# starts (fetching it on a fresh machine) in TEST_NEO4J_HOME on free ports, and stops again, also when
# tests fail. So `make test` runs beside `make serve` and a user's Neo4j: it never binds or reads
# 8000, 7687 or 7474, nor the database of ALLIANCE_NEO4J_HOME (only its jars). The tests learn the
# suite's server from NEO4J_TEST_URI, NEO4J_BROWSER_URL, NEO4J_BOLT_PORT, NEO4J_HTTP_PORT and
# ALLIANCE_NEO4J_HOME, which the recipe sets; one `make test` per checkout at a time. If Neo4j cannot
# start, the suite still runs: its embedded half passes, its Neo4j half fails saying how to start it,
# and the exit code is non-zero either way.
# The suite must leave the checkout as it found it (tests write to temporary places; committed
# pictures change only by `make screenshots` or `alliances figures`): its git status and diff are
# compared before and after, and a difference fails the run naming the files.
define WITH_NEO4J
	@set -- $$($(NEO4J_LOCAL) free-ports); \
	export ALLIANCE_NEO4J_JARS="$${ALLIANCE_NEO4J_JARS:-$(NEO4J_CACHE)}" ALLIANCE_NEO4J_HOME="$(TEST_NEO4J_HOME)"; \
	export NEO4J_BOLT_PORT=$(or $(TEST_NEO4J_BOLT_PORT),$$1) NEO4J_HTTP_PORT=$(or $(TEST_NEO4J_HTTP_PORT),$$2); \
	export NEO4J_TEST_URI=bolt://127.0.0.1:$$NEO4J_BOLT_PORT NEO4J_BROWSER_URL=http://127.0.0.1:$$NEO4J_HTTP_PORT/browser/; \
	unset NEO4J_URI; \
	trap '$(NEO4J_LOCAL) stop; exit 130' INT TERM; \
	$(NEO4J_LOCAL) stop >/dev/null; \
	started=1; $(NEO4J_LOCAL) start || started=0; \
	if [ $$started = 0 ]; then echo "make $@: Neo4j did not start; its half of the suite will fail" >&2; fi; \
	before=$$($(TREE_STATE)); \
	$(1); status=$$?; \
	$(NEO4J_LOCAL) stop; \
	if [ $$started = 0 ] && [ $$status = 0 ]; then status=1; fi; \
	if [ "$(2)" = check-tree ] && [ "$$before" != "$$($(TREE_STATE))" ]; then \
		echo "make $@: the suite changed the checkout (tests must write to temporary places):" >&2; \
		git status --porcelain --untracked-files=all >&2; status=1; \
	fi; \
	exit $$status
endef
TREE_STATE := { git status --porcelain --untracked-files=all; git diff --binary; } 2>/dev/null | cksum

test: lint browser-deps ## lint, then the whole suite on both stores (starts and stops a local Neo4j)
	$(call WITH_NEO4J,$(BIN)/pytest,check-tree)

# The committed screenshots (docs/screenshots/*.png) are retaken only here, on purpose.
screenshots: $(STAMP) browser-deps ## retake docs/screenshots/*.png (the explorer page and Neo4j Browser)
	$(call WITH_NEO4J,ALLIANCE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/test_web_page.py tests/test_neo4j_browser.py)

neo4j-start: ## start a local Neo4j 5 Community (fetched from Maven Central on first use)
	$(NEO4J_LOCAL) start

neo4j-stop: ## stop the local Neo4j
	$(NEO4J_LOCAL) stop

# Validate the seeds and load them into Neo4j: NEO4J_URI (default the local server), NEO4J_USER,
# NEO4J_PASSWORD; LOAD_ARGS=--prune removes what the seeds no longer hold.
load: $(STAMP) ## validate the seeds and load them into Neo4j (NEO4J_URI, default the local server)
	NEO4J_URI=$${NEO4J_URI:-bolt://127.0.0.1:7687} $(BIN)/alliances load $(LOAD_ARGS)

# Benchmarks (issue 6): report, never fail. Writes bench/results/latest.json and cost_vs_size.png.
bench: $(STAMP) ## run the benchmarks (they report, never fail)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench $(BENCH_ARGS)

clean: ## remove .venv and the tool caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
