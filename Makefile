# Two commands for a fresh machine:  make report   |   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# uv, at the exact version and hashes of tools/uv-requirements.txt, in a venv of its own.
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv

# uv installs uv.lock's exact versions, checking every file against the lock's hashes, into
# .venv, with the system's Python (never one it downloads). Like pip, it compiles the packages'
# bytecode at install time: with PYTHONDONTWRITEBYTECODE set, nothing would compile it later.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
# tracker's own build (setuptools, pinned in pyproject.toml) is hash-checked too.
export UV_PREVIEW_FEATURES := build-dependency-hashes
# --locked: a uv.lock that no longer matches pyproject.toml is an error, never re-resolved here.
SYNC   = @echo "$(UV) sync --locked $(1)"; $(UV) sync --locked --quiet $(1) || { echo "make: uv sync \
failed; if uv.lock is out of date with pyproject.toml, run make lock (README, Dependencies) and commit uv.lock" >&2; exit 1; }

.PHONY: report test bench bench-quick bytecode catalogs messages system-deps system-deps-test lock upgrade uv-pin clean

report: $(VENV)/.installed bytecode catalogs
	$(BIN)/tracker report

test: $(VENV)/.installed-test node_modules/.installed bytecode catalogs
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

# Benchmarks (bench/README.md): ratios measured side by side, a few minutes; bench-quick ~1 minute.
bench: $(VENV)/.installed-bench bytecode catalogs
	$(BIN)/python bench/run.py

bench-quick: $(VENV)/.installed-bench bytecode catalogs
	$(BIN)/python bench/run.py --quick

# The editable install compiles nothing, and with PYTHONDONTWRITEBYTECODE set no run would
# either: every command would compile tracker anew (about 40 ms). Compile what changed.
bytecode: | $(BIN)/python
	$(BIN)/python -m compileall -q tracker

# tracker's own words in each language (README, Languages): every install compiles the catalogs,
# tracker/locale/<lang>/LC_MESSAGES/tracker.po -> tracker.mo (never committed); `make messages`
# extracts the words from the code and templates into tracker.pot and merges them into each catalog
# (keeping each catalog's header: its Plural-Forms decide ngettext).
catalogs: | $(BIN)/python
	$(BIN)/python -m tracker.i18n.catalogs

messages: | $(BIN)/python
	$(BIN)/pybabel extract -F tracker/locale/babel.cfg -k words -k nwords:1,2 -k N_ -k w --no-location \
	  --omit-header --sort-output -o tracker/locale/tracker.pot tracker
	$(BIN)/pybabel update -D tracker -i tracker/locale/tracker.pot -d tracker/locale --no-fuzzy-matching \
	  --ignore-obsolete

system-deps:
	bash scripts/system-deps.sh runtime

system-deps-test:
	bash scripts/system-deps.sh test

# Dependencies (README): `make lock` after editing pyproject.toml's dependencies re-resolves
# uv.lock, keeping every locked version that still fits; `make upgrade` moves everything to the
# newest versions pyproject.toml allows, then runs the tests. Commit uv.lock with the change.
lock: | $(UV)
	$(UV) lock

upgrade: | $(UV)
	$(UV) lock --upgrade
	$(MAKE) test

# make uv-pin UV_VERSION=X.Y.Z: pin another uv release (its hashes from the index).
uv-pin: | $(UV)
	@test -n "$(UV_VERSION)" || { echo "usage: make uv-pin UV_VERSION=X.Y.Z" >&2; exit 2; }
	{ grep '^#' tools/uv-requirements.txt; echo 'uv==$(UV_VERSION)' | \
	  $(UV) pip compile -q --generate-hashes --universal --no-header --no-annotate -; } > tools/uv-requirements.txt.new
	mv tools/uv-requirements.txt.new tools/uv-requirements.txt

$(UV): tools/uv-requirements.txt
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q --require-hashes --only-binary :all: -r tools/uv-requirements.txt
	touch $@

$(BIN)/python: | $(UV)
	$(UV) venv --quiet $(VENV)

# One sync per stamp; a change to uv.lock or pyproject.toml makes them out of date. Each sync is
# exact (it also removes what the lock does not list), so test and bench share one environment
# with both extras, and report's runtime-only sync runs only when those are out of date anyway.
$(VENV)/.installed: pyproject.toml uv.lock | $(BIN)/python system-deps
	$(call SYNC)
	touch $@

$(VENV)/.installed-test: pyproject.toml uv.lock | $(BIN)/python system-deps-test
	$(call SYNC,--extra test --extra bench)
	touch $@ $(VENV)/.installed-bench $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml uv.lock | $(BIN)/python system-deps
	$(call SYNC,--extra test --extra bench)
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

# axe-core and playwright-core for the accessibility test; Chromium is Debian's, never downloaded.
node_modules/.installed: package.json package-lock.json | system-deps-test
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) node_modules reports/*/ .pytest_cache
