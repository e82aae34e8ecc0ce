# Two commands for a fresh machine: `make run` (index the bundled corpus, serve API + UI) and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test lint browser clean

setup: $(STAMP)

# torch is installed first and pinned to the CPU wheel, so nothing pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev,opensearch,openvino]"
	touch $(STAMP)

# Debian's chromium drives the UI's end-to-end test (never `playwright install`: it downloads a browser).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

run: setup
	bash scripts/run.sh

lint: setup
	$(BIN)/ruff check .

test: setup browser
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) data/store artifacts
