# Set-up commands for a fresh machine with python3 and make:
#   make run   create .venv, install tracker-tui, launch `tracker`
#   make test  create .venv with the test extras, lint, type-check and test
#   make test-browser  `tracker serve` in headless Chromium (installs Debian's chromium and
#              chromium-driver if missing, and selenium into .venv); not part of `make test`
#   make bench create .venv with the bench extras, run benchmarks/ and write benchmarks/RESULTS.md
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest test-browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-browser: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,browser]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/tracker

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests tests_browser
	$(BIN)/ruff format --check src tests tests_browser
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy --strict src tests

# One worker more than the cores: app tests spend part of their time waiting (timers,
# threads, subprocesses), so a third worker on 2 cores took the suite from 225 s to 196 s.
pytest: $(VENV)/.installed-test
	$(BIN)/pytest -n $$($(BIN)/python -c 'import os; print((os.cpu_count() or 1) + 1)') --dist worksteal

test: lint typecheck pytest

# The browser and its driver come from Debian (a downloaded browser build would not be
# reproducible); sudo only when not root.
test-browser: $(VENV)/.installed-browser
	@if ! command -v chromedriver >/dev/null || \
	    ! { command -v chromium || command -v chromium-browser; } >/dev/null; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "make test-browser: install Chromium and chromedriver, then run it again" >&2; \
	    exit 1; \
	  fi; \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q chromium chromium-driver; \
	fi
	$(BIN)/mypy --strict tests_browser
	$(BIN)/pytest tests_browser

# Read when make starts, before the install, so RESULTS.md gives the whole run's time.
BENCH_SINCE := $(shell date +%s)

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run.py --since $(BENCH_SINCE)

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
