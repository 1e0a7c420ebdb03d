# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint fmt messages bench bench-quick bench-soak screenshots clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

## Web + Celery worker + beat on SQLite and a file broker, with demo data.
run: $(VENV)/.runtime
	PORT=$(PORT) scripts/run.sh

## Throwaway PostgreSQL and Redis, ruff, the migration check and the whole suite.
test:
	scripts/test.sh

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## Benchmarks of QUALITY.md on province data (seeded once into .bench/, kept); table + bench/results-province.json.
bench: $(VENV)/.dev
	scripts/bench.sh

## The same on county data, fewer samples: under 3 minutes once seeded.
bench-quick: $(VENV)/.dev
	scripts/bench.sh --quick

## 200 officers at once for 15 minutes against gunicorn on province data: 0 lost, 0 duplicated, 0 5xx.
bench-soak: $(VENV)/.dev
	scripts/bench.sh --only soak

## The README's screenshots (docs/screenshots/): each role's home and main page at 390 × 844 on the demo county.
screenshots: $(VENV)/.dev
	$(PY) scripts/screenshots.py

## Re-extract and compile translations (needs Debian's gettext).
messages: $(VENV)/.dev
	$(PY) scripts/po.py extract
	$(PY) scripts/po.py compile

clean:
	rm -rf var/ .pytest_cache
