# Quickstart: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo check test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m sheetbill.demo demo-output

check: $(STAMP)
	$(BIN)/ruff check sheetbill tests bench
	$(BIN)/mypy sheetbill

test: check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/cycle.py

clean:
	rm -rf demo-output .pytest_cache
