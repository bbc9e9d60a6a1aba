# The two commands of the README: `make run` builds the graph, `make test` runs the tests.
# Each does all set-up itself on a fresh machine (virtual environment, packages, Chromium for browser tests).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install system-deps bench clean

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

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out .pytest_cache
