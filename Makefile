# The two commands of the README: `make run` builds the graph, `make test` runs the tests.
# Each does all set-up itself on a fresh machine (virtual environment, packages, Chromium for browser tests).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install system-deps bench docs docs-check typecheck clean

run: $(STAMP)
	$(BIN)/cnaikg build

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-* && touch $@

# Debian packages the browser tests need (headless Chromium). Installs only what is missing.
system-deps:
	@bash scripts/system-deps.sh

# Every benchmark in benchmarks/ at its quick size, one table; FULL=1 runs the full sizes and saves docs/benchmarks.json.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(if $(filter 1 yes true,$(FULL)),--size full --save docs/benchmarks.json,)

# Regenerate every generated block of README.md and docs/ (tables, example outputs) and data/ontology.ttl.
docs: $(STAMP)
	$(BIN)/python -m cnaikg.docs

docs-check: $(STAMP)
	$(BIN)/python -m cnaikg.docs --check

# mypy over the whole package (also a test: tests/test_typing.py).
typecheck: $(STAMP)
	$(BIN)/python scripts/typecheck.py

clean:
	rm -rf $(VENV) out .pytest_cache
