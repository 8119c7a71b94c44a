# The two entry points of the README. Each sets up its own virtual environment on first use
# (and again when pyproject.toml changes), so both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# Named first so that pip takes these from the machine's local wheels instead of pulling the
# newest CUDA build for the extras that need torch. torchvision (transformers' video processors)
# only works beside torch 2.14.1 here; on a CPU-only machine without torchvision needs,
# TORCH=torch==2.13.0 is the small CPU build.
TORCH ?= torch==2.14.1 torchvision==0.29.1

.PHONY: demo test lint format clean

DEMO ?= demo
# Set DATA_ROOT to a folder of the released annotation files to add text-only reference runs on
# the released tasks (make demo DATA_ROOT=../shared/data).
DATA_ROOT ?=
RELEASED ?= hi_tvgbench,hi_charades,ss_charades,ss_qvhighlights,uvqa_object,uvqa_relation,uvqa_attribute
RUN := $(BIN)/refusal-bench run --no-progress

demo: $(VENV)/.installed-demo  ## evaluate the reference models on the synthetic split, build the site
	$(BIN)/refusal-bench data synth
	$(RUN) --model always-answer --tasks synth --output $(DEMO)/runs/always-answer
	$(RUN) --model always-refuse --tasks synth --output $(DEMO)/runs/always-refuse
	$(BIN)/python scripts/demo_base.py $(DEMO)/eager.jsonl
	$(RUN) --model replay --model-args path=$(DEMO)/eager.jsonl --model-name eager-base --tasks synth_qa,synth_uvqa --output $(DEMO)/runs/eager-base
	$(RUN) --model random --model-args p_refuse=0.5 --tasks synth --output $(DEMO)/runs/random --base-run $(DEMO)/runs/eager-base
	$(BIN)/python -m benchmark.models.tiny $(DEMO)/tiny-qwen2-vl
	$(RUN) --model hf --model-args pretrained=$(DEMO)/tiny-qwen2-vl,frames=4,max_new_tokens=24,batch_size=8 --tasks synth --output $(DEMO)/runs/tiny-qwen2-vl
	$(BIN)/refusal-bench compare $(DEMO)/runs/random --base $(DEMO)/runs/always-answer
ifneq ($(DATA_ROOT),)
	$(RUN) --model always-answer --tasks $(RELEASED) --data-root $(DATA_ROOT) --output $(DEMO)/runs/always-answer-released
	$(RUN) --model always-refuse --tasks $(RELEASED) --data-root $(DATA_ROOT) --output $(DEMO)/runs/always-refuse-released
endif
	$(BIN)/refusal-bench leaderboard build --submissions $(DEMO)/runs --out $(DEMO)/site --no-progress $(if $(DATA_ROOT),--data-root $(DATA_ROOT))
	@echo "run directories (run.json, samples/*.jsonl, results.json) are in $(DEMO)/runs/"

test: $(VENV)/.installed-dev  ## lint and run the test suite
	@sh scripts/ensure-chromium.sh
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
	$(PIP) $(TORCH)
	$(PIP) -e ".[sbert,hf]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) $(TORCH)
	$(PIP) -e ".[dev]"
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
