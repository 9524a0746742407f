# Two commands for a fresh machine:  make report   |   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: report test bench bench-quick bytecode system-deps system-deps-test clean

report: $(VENV)/.installed bytecode
	$(BIN)/tracker report

test: $(VENV)/.installed-test node_modules/.installed bytecode
	$(BIN)/python -m pytest -q

# Benchmarks (bench/README.md): ratios measured side by side, a few minutes; bench-quick ~1 minute.
bench: $(VENV)/.installed-bench bytecode
	$(BIN)/python bench/run.py

bench-quick: $(VENV)/.installed-bench bytecode
	$(BIN)/python bench/run.py --quick

# The editable install compiles nothing, and with PYTHONDONTWRITEBYTECODE set no run would
# either: every command would compile tracker anew (about 40 ms). Compile what changed.
bytecode: | $(BIN)/python
	$(BIN)/python -m compileall -q tracker

system-deps:
	bash scripts/system-deps.sh runtime

system-deps-test:
	bash scripts/system-deps.sh test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python system-deps
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python system-deps-test
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python system-deps
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $@ $(VENV)/.installed

# axe-core and playwright-core for the accessibility test; Chromium is Debian's, never downloaded.
node_modules/.installed: package.json package-lock.json | system-deps-test
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules reports/*/ .pytest_cache
