# The two commands a new user needs: `make serve` and `make test`.
# Each sets up .venv on first use and re-installs when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test load clean chromium virtuoso

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

load: $(VENV)/.installed
	$(BIN)/lrkg load data/

# `python -m api` rather than the lrkg script: its query workers then start without the CLI's imports.
serve: load
	$(BIN)/python -m api serve --host $(HOST) --port $(PORT)

# Coverage of graph/ and api/ is printed after the tests; below [tool.coverage.report] fail_under the run fails.
test: $(VENV)/.installed chromium virtuoso
	$(BIN)/python -m pytest --cov=graph --cov=api --cov-report=term:skip-covered

# Debian packages some tests need, installed when missing: as root directly, otherwise
# through sudo. $(1): the command that shows the package is there; $(2): the package;
# $(3): what the tests use it for; $(4): the marker that skips those tests.
define apt_package
	@if command -v $(1) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(APT_INSTALL) $(2); \
	elif command -v sudo >/dev/null 2>&1; then sudo sh -c '$(APT_INSTALL) $(2)'; \
	else echo "$(3) need Debian's $(2): run 'apt-get install $(2)' as root" \
	  "(or skip them: $(BIN)/python -m pytest -m 'not $(4)')." >&2; exit 1; fi
endef
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

# The browser tests drive Debian's chromium through Playwright (never a browser Playwright downloads).
chromium:
	$(call apt_package,chromium,chromium,The browser tests,browser)

# The store contract also runs against a real Virtuoso, which the tests start on 127.0.0.1.
virtuoso:
	$(call apt_package,virtuoso-t,virtuoso-opensource,The remote-engine tests,virtuoso)

clean:
	rm -rf $(VENV) .lrkg
