# The portal's two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
# The Nu Html Checker from npm (it carries Jing for the Atom feeds' RELAX NG schema), pinned by version and digest.
VNU_VERSION := 26.9.27
VNU_SHA256 := 22f15dd39a33bed929d2a5c0cddf5946849a647eca9272bf4d5d00bc7e7a4d47
VNU_DIR ?= $(TOOLS)/vnu
export VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
# Python 3.12+ (Django 6.1): the first that really runs, or PYTHON=... from outside.
# pyenv's shims answer for versions that are not active, so each candidate must really run.
PYTHON ?= $(shell for p in python3.13 python3.12 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.13*/bin/python3 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3; do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null && break; done)
DEMO_PASSWORD ?= demo-Handwerk-2026
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: pdf-deps help install run test test-fast lint format messages mutants bench bench-fanout rehearsal services browser-deps validator-deps clean

help:
	@echo "make run    - the portal with demo data at http://127.0.0.1:8000/ (Ctrl-C stops it)"
	@echo "make test   - the whole test suite (PostgreSQL, Redis, Celery, Chromium)"
	@echo "make lint   - ruff check, format check and the import layers (lint-imports)"
	@echo "make bench  - load benchmarks with gunicorn on PostgreSQL (VOLUME=1: at volume)"
	@echo "make bench-fanout - one event to 10,000 members on one worker (also part of make bench)"
	@echo "make rehearsal - production rehearsal: nginx, 2 web nodes, 2 workers, beat, 200 users, faults (~10 min)"
	@echo "make mutants - mutation run (mutmut) over the rule book groups/access.py; not in CI"
	@echo "make messages - update and compile the translation catalogues"

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.13 or python3.12); set PYTHON=/path/to/python3.13" >&2; exit 1; }
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Installs exactly what uv.lock says (the dev group included: tests need it).
$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet --python "$(PYTHON)"
	@touch $@

install: $(VENV)/.installed

run: install pdf-deps
	DEBUG=true DEMO_PASSWORD="$(DEMO_PASSWORD)" $(PY) manage.py run_portal

# Pango and a font for weasyprint's minutes PDFs (Debian packages; installed when missing and apt is at hand).
pdf-deps:
	@if ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null 2>&1; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages for the minutes PDF (pango, fonts)..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
		else \
			echo "Note: install pango (libpango-1.0-0 libpangoft2-1.0-0) for the minutes PDF."; \
		fi; \
	fi

# Debian's Chromium for the browser tests (Playwright cannot download browsers here),
# gettext for the catalogues, pango and a font for weasyprint's PDFs, poppler's pdfinfo
# (the minutes PDF is tagged for screen readers).
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v msgfmt >/dev/null \
		|| ! command -v pdfinfo >/dev/null \
		|| ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null 2>&1; then \
		echo "Installing Debian packages for the tests (chromium, gettext, pango, fonts)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	fi

# The outside validators of tests/portal/test_outside_validators.py: Java from Debian, vnu.jar from npm
# into .tools/vnu/ (git-ignored; VNU_DIR=... puts it elsewhere, the tests follow VNU_JAR). The package's
# postinstall script would download a Java runtime of its own: it is not run.
validator-deps: $(VNU_DIR)/$(VNU_VERSION).installed
	@if ! command -v java >/dev/null; then \
		echo "Installing Java from Debian for the Nu Html Checker..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			default-jre-headless >/dev/null; \
	fi

$(VNU_DIR)/$(VNU_VERSION).installed:
	@if ! command -v npm >/dev/null; then \
		echo "Installing npm from Debian for the Nu Html Checker..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; \
	fi
	rm -rf $(VNU_DIR)
	npm install --prefix $(VNU_DIR) --ignore-scripts --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
		"vnu-jar@$(VNU_VERSION)"
	echo "$(VNU_SHA256)  $(VNU_JAR)" | sha256sum --check --quiet
	@touch $@

# Starts PostgreSQL and Redis of this machine when they are installed but stopped.
services:
	@.ci/ensure-services

test: install browser-deps validator-deps
	@if [ "$${CI:-}" = "true" ]; then .ci/ensure-services; fi
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not browser"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The source strings are German, so only English is extracted. locale/de holds hand-written
# formal ("Sie") overrides of allauth's and Django's strings: never run makemessages on it.
messages: install
	DEBUG=true $(PY) manage.py makemessages --locale en --no-obsolete --ignore ".venv/*" --ignore ".tools/*" --ignore "var/*"
	DEBUG=true $(PY) manage.py compilemessages --ignore ".venv/*" --ignore ".tools/*"

# The mutation run over the rule book (README, "Testing"): mutmut copies the tree into mutants/, mutates
# groups/access.py and runs the tests of [tool.mutmut] in pyproject.toml against each mutant (PostgreSQL,
# test database kept between mutants). MUTMUT=... runs another install of it (a private venv).
# Its own test database by default, so that a `make test` meanwhile does not drop the one it reuses.
MUTMUT ?= $(VENV)/bin/mutmut
mutants: export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_mutants
mutants: install
	rm -rf mutants
	$(MUTMUT) run --max-children 2
	@$(MUTMUT) results --all true | awk '{n++} /killed|timeout/ {k++} END {printf "mutation score: %d of %d killed (%.1f %%)\n", k, n, n ? 100*k/n : 0}'
	@echo "survivors (and mutants no selected test reaches):"; $(MUTMUT) results

bench: install pdf-deps
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@.ci/ensure-services
	$(PY) -m tests.bench.run $(if $(VOLUME),--volume)
	$(if $(VOLUME),,$(PY) -m tests.bench.fanout)

bench-fanout: install
	@.ci/ensure-services
	@uptime
	$(PY) -m tests.bench.fanout
	@uptime

# The production rehearsal (tests/rehearsal/run.py; not part of make test). nginx from Debian, locust from
# the lock file's "rehearsal" group; PostgreSQL's server binaries and redis-server as for the tests.
# REHEARSAL_USERS=20 REHEARSAL_SECONDS=60 make rehearsal: a shorter run.
rehearsal: install pdf-deps
	@if ! command -v nginx >/dev/null || ! command -v redis-server >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian packages for the rehearsal (nginx, postgresql, redis-server)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			nginx postgresql redis-server >/dev/null; \
	fi
	$(UV) sync --frozen --quiet --python "$(PYTHON)" --group rehearsal
	$(PY) -m tests.rehearsal.run

clean:
	rm -rf $(VENV) $(TOOLS) var/test var/static
