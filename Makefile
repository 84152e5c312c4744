# Marsad: `make run` builds the warehouse from the bundled sample, `make test` runs every test.
# The Makefile makes its own environment: uv (bootstrapped with pip) syncs .venv from uv.lock.

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: install install-all run test lint dashboard ui bench sample models screenshots clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==0.13.8

# Bytecode is compiled once at install: commands start faster, even where Python may not write it.
# What `make run`, the dashboard and the CLI need: the shipped models run in NumPy. --inexact
# keeps what `install-all` added, so running after testing removes nothing.
$(VENV)/.runtime: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact --compile-bytecode --python $(PYTHON)
	touch $@

# Tests, training and benchmarks: also the dev group and the `train` extra (JAX, gensim...).
$(VENV)/.complete: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra train --compile-bytecode --python $(PYTHON)
	touch $@ $(VENV)/.runtime

# The entity tagger's table of frequent words for the shipped models (docs/entities.md): a
# new tagging process reads their sums instead of working them out; once per models. The
# project's own bytecode too: where PYTHONDONTWRITEBYTECODE is set, every command compiled
# its modules again (0.035 s of each `marsad tag`); compileall skips what is current.
install: $(VENV)/.runtime
	$(BIN)/python -m compileall -q marsad pipelines dashboards
	$(BIN)/marsad lexicon

install-all: $(VENV)/.complete
	$(BIN)/python -m compileall -q marsad pipelines dashboards
	$(BIN)/marsad lexicon

run: install
	$(BIN)/marsad run

lint: install-all
	$(BIN)/ruff check .

test: install-all lint
	$(BIN)/pytest

dashboard: install
	$(BIN)/marsad dashboard

# The instance is configured by ./dagster.yaml (storage in data/dagster_home, one slot per
# pool, no telemetry); `marsad ui` stops dagster dev on SIGINT and SIGTERM.
ui: install
	mkdir -p data/inbox
	$(BIN)/marsad ui

bench: install-all
	$(BIN)/python -m bench

# Train the models from ../shared/data (the Dagster model assets) and ship the results.
models: install-all
	$(BIN)/marsad train --models data/models
	cp data/models/topics.npz data/models/entities.crfsuite data/models/entities_crf_tables.npz \
	  data/models/entities_encoder.npz \
	  data/models/entities_lstm.npz data/models/word_clusters.npz data/models/name_shapes.npz \
	  marsad/models/
	$(BIN)/marsad lexicon

screenshots: install-all
	$(BIN)/python -m bench.screenshots

sample: install
	rm -rf data/sample
	$(BIN)/python -m marsad.synthetic data/sample

clean:
	rm -rf $(VENV) $(TOOLS) data/warehouse.duckdb data/.staging data/dagster_home
