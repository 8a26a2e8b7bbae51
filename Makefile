# zhnews — the two commands of the README (`make test`, `make run`) and their helpers.
# Every target bootstraps .venv/ from requirements.lock when it is missing or out of date,
# so a fresh machine needs only python3 (>= 3.10) and a package index.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.zhnews-installed

# Deterministic kernels: set ordering, and no stray user configuration.
export PYTHONHASHSEED := 0
export PYTHONDONTWRITEBYTECODE := 1
export JUPYTER_PLATFORM_DIRS := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup run test browser lab site site-check lock bench clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(STAMP)  ## create .venv/ with the locked environment (idempotent)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "zhnews needs Python >= 3.10, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m zhnews --version
	@touch $(STAMP)

run: $(STAMP)  ## run the whole analysis: tables to data/derived/, notebooks executed in place, HTML to reports/
	$(BIN)/python -m zhnews analyze data/raw/kunming-2017-10-18.txt --out data/derived
	$(BIN)/python -m zhnews notebooks --html reports notebooks/*.ipynb

test: $(STAMP) browser  ## unit tests, doctests of lib/, strict nbval on every notebook, browser tests of the site and lab
	ZHNEWS_BROWSER_TESTS=1 $(BIN)/python -m pytest

browser:  ## Debian's chromium for the browser tests: installed with apt-get when run as root, else a note (tests skip)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: no /usr/bin/chromium, so the browser tests will be skipped (sudo apt-get install chromium)"; fi

lab: $(STAMP)  ## open JupyterLab on the project (Chinese web font; config in jupyter-config/, not in your home)
	JUPYTER_CONFIG_DIR=$(CURDIR)/jupyter-config $(BIN)/jupyter lab --notebook-dir=.

site: $(STAMP)  ## the tutorial site from the committed notebooks (no execution, no download) in site/_build/html
	$(BIN)/python -m sphinx -W --keep-going -E -b html -d site/_build/doctrees site site/_build/html

site-check: $(STAMP)  ## browser tests of the site and of `make lab` (needs /usr/bin/chromium)
	ZHNEWS_BROWSER_TESTS=1 $(BIN)/python -m pytest -p no:xdist -o addopts='' -s -v tests/test_site.py

bench: $(STAMP)  ## time the stages, the fast core and the whole pipeline at 10 k-1 M characters (figures and ratios)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_fastcore.py
	$(BIN)/python benchmarks/scale.py

lock:  ## regenerate requirements.lock from pyproject.toml (needs uv: pip install uv)
	uv pip compile pyproject.toml --universal --python-version 3.10 --fork-strategy fewest \
	    --generate-hashes --no-header -o requirements.lock

clean:  ## remove the environment and caches (never data/raw/)
	rm -rf $(VENV) .pytest_cache build lib/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
