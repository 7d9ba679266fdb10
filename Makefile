# The two commands a new user needs: `make serve` and `make test`.
# Each sets up .venv on first use and re-installs when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test load clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

load: $(VENV)/.installed
	$(BIN)/lrkg load data/

# `python -m graph` rather than the lrkg script: its query workers then start without the CLI's imports.
serve: load
	$(BIN)/python -m graph serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed chromium
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium through Playwright (never a browser Playwright
# downloads). Install it when missing: as root directly, otherwise through sudo.
APT_CHROMIUM := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(APT_CHROMIUM); \
	elif command -v sudo >/dev/null 2>&1; then sudo sh -c '$(APT_CHROMIUM)'; \
	else echo "The browser tests need Debian's chromium: run 'apt-get install chromium' as root" \
	  "(or skip them: $(BIN)/python -m pytest -m 'not browser')." >&2; exit 1; fi

clean:
	rm -rf $(VENV) .lrkg
