# The two commands of the README: `make run` (app on the seed data) and `make test` (whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## Build the store from data/seed (only if it is still empty) and run the app on http://127.0.0.1:8050
## as a local demo: sign-in off (the app says so in a banner) unless DASHBOARD_AUTH is set, e.g. =on
run: $(VENV)/.runtime
	$(BIN)/python -m dashboard build --if-empty
	DASHBOARD_AUTH=$${DASHBOARD_AUTH:-off} $(BIN)/python app.py

## Install what the tests need (Python packages, Debian's chromium) and run the whole suite
test: $(VENV)/.dev browser-deps
	$(BIN)/python -m pytest

## Headless Chromium (browser tests, pack charts) and poppler-utils (pack tests), from Debian (root or sudo once)
browser-deps:
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core poppler-utils; }

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(VENV)/.dev
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) data/*.sqlite data/*.sqlite-*
