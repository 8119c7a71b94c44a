# The two entry points of the README. Each sets up its own virtual environment on first use
# (and again when pyproject.toml changes), so both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# torch 2.13.0 is a CPU build; naming it first keeps pip from pulling a multi-GB CUDA build
# for the extras that need torch.
TORCH ?= torch==2.13.0

.PHONY: demo test lint format clean

demo: $(VENV)/.installed-core  ## evaluate a model on the synthetic split and build the site
	$(BIN)/refusal-bench --version
	$(BIN)/refusal-bench --help

test: $(VENV)/.installed-dev  ## lint and run the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-core: pyproject.toml | $(VENV)/bin/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) -e ".[dev]"
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
