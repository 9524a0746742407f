# Two commands for a fresh machine:  make report   |   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: report test system-deps system-deps-test clean

report: $(VENV)/.installed
	$(BIN)/tracker report

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

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

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
