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

DEMO ?= demo

demo: $(VENV)/.installed-demo  ## evaluate the reference models on the synthetic split
	$(BIN)/refusal-bench data synth
	$(BIN)/refusal-bench run --model always-answer --tasks synth --output $(DEMO)/always-answer --no-progress
	$(BIN)/refusal-bench run --model always-refuse --tasks synth --output $(DEMO)/always-refuse --no-progress
	$(BIN)/refusal-bench run --model random --model-args p_refuse=0.5 --tasks synth --output $(DEMO)/random --no-progress
	$(BIN)/refusal-bench compare $(DEMO)/random --base $(DEMO)/always-answer
	@echo "run directories (run.json, samples/*.jsonl, results.json) are in $(DEMO)/"

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

$(VENV)/.installed-demo: pyproject.toml | $(VENV)/bin/python
	$(PIP) "$(TORCH)"
	$(PIP) -e ".[sbert]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) "$(TORCH)"
	$(PIP) -e ".[dev]"
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
