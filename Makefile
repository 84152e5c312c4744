# Marsad: `make run` builds the warehouse from the bundled sample, `make test` runs every test.
# The Makefile makes its own environment: uv (bootstrapped with pip) syncs .venv from uv.lock.

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: install run test lint dashboard ui bench sample models screenshots clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==0.13.8

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	# Bytecode compiled once here: commands start faster, even where Python may not write it.
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

install: $(VENV)/.synced

run: install
	$(BIN)/marsad run

lint: install
	$(BIN)/ruff check .

test: install lint
	$(BIN)/pytest

dashboard: install
	$(BIN)/marsad dashboard

# The instance is configured by ./dagster.yaml (storage in data/dagster_home, one slot per
# pool, no telemetry); `marsad ui` stops dagster dev on SIGINT and SIGTERM.
ui: install
	mkdir -p data/inbox
	$(BIN)/marsad ui

bench: install
	$(BIN)/python -m bench

# Train the models from ../shared/data (the Dagster model assets) and ship the results.
models: install
	$(BIN)/marsad train --models data/models
	cp data/models/topics.npz data/models/entities.crfsuite data/models/entities_crf_tables.npz \
	  data/models/entities_lstm.npz data/models/word_clusters.npz marsad/models/

screenshots: install
	$(BIN)/python -m bench.screenshots

sample: install
	rm -rf data/sample
	$(BIN)/python -m marsad.synthetic data/sample

clean:
	rm -rf $(VENV) $(TOOLS) data/warehouse.duckdb data/.staging data/dagster_home
