# Two commands for a fresh machine: `make run` (index the bundled corpus, serve API + UI) and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

OPENSEARCH_PORT ?= 9250

.PHONY: setup run test test-fast lint browser clean opensearch opensearch-stop

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
	$(BIN)/ruff format --check .

# ruff, mypy, then pytest with a local OpenSearch node (started on :9260, stopped even when tests fail):
# every contract test runs against both engines, and the OpenSearch suites may not skip. The failover test (a
# three-node cluster) and the engine-down test start their own nodes on :9280-9283 and stop them.
test: setup browser
	BIN=$(BIN) bash scripts/test.sh

# The quick loop: ruff and pytest without the browser, without `pledges serve`/`ui` servers and without
# OpenSearch (those tests are deselected, not skipped); no mypy.
test-fast: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u OPENSEARCH_URL $(BIN)/pytest -q -m "not browser and not server and not opensearch"

# A local OpenSearch 2.19.1 node with the k-NN plugin, from Maven Central (no Docker): downloaded into
# .opensearch/ on first use, started in the background on 127.0.0.1:$(OPENSEARCH_PORT), waited for.
opensearch:
	scripts/opensearch.sh start --port $(OPENSEARCH_PORT)
	scripts/opensearch.sh wait --port $(OPENSEARCH_PORT)

# Stops the node `make opensearch` started (`scripts/opensearch.sh stop --all`: every node of .opensearch/).
opensearch-stop:
	scripts/opensearch.sh stop --name pledges-1

clean:
	-scripts/opensearch.sh stop --all
	rm -rf $(VENV) data/store artifacts .opensearch
