# Portail de l'offre d'insertion — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
INSTALLED := $(VENV)/.installed

.PHONY: lock run test prod test-prod bench bench-relevance bench-import bench-faults bench-cluster bench-load install lint fix browsers proconnect es-start es-stop clean

# The lock files (versions and hashes of every package, transitive ones included): requirements.txt
# for production (the `runtime` group), requirements-dev.txt for make run/test and CI (`test`).
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.12 --generate-hashes --quiet

$(INSTALLED): requirements-dev.txt
	@python=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(INSTALLED)

## After a change of pyproject.toml's pins: the lock files again (new packages at their latest
## versions, the others kept; `make lock LOCK_ARGS=--upgrade` moves them all).
lock:
	$(PY) -m pip install --quiet "uv==0.13.8"
	$(LOCK) --group test $(LOCK_ARGS) -o requirements-dev.txt
	$(LOCK) --group runtime $(LOCK_ARGS) -o requirements.txt

install: $(INSTALLED)

## Serves the demo on http://127.0.0.1:8000 (SQLite, database search backend).
run: export DJANGO_SETTINGS_MODULE = config.settings.dev
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_territoires --if-empty
	$(MANAGE) load_demo --if-empty
	$(MANAGE) search_reindex --if-empty
	$(MANAGE) runserver 127.0.0.1:8000

## Runs the whole suite (Chromium, Elasticsearch are installed when missing and the machine
## allows it; without them those tests are skipped locally and fail in CI).
test: install browsers proconnect
	@scripts/elasticsearch.sh start || echo "ATTENTION : Elasticsearch absent ; ses tests seront ignorés (échec en CI)." >&2
	$(MANAGE) makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

## The production topology on this machine (ops/prod.py): PostgreSQL, Elasticsearch, an SMTP
## sink (messages as files in var/prod/mails/new/), an S3 server (moto), then gunicorn with the
## production settings, the worker and the clock (honcho, Procfile), demo data included.
prod: install es-start
	$(PY) -m ops.prod

## That topology driven end to end in Chromium, on a scratch database (tests/prod).
test-prod: install browsers es-start
	$(BIN)/pytest tests/prod -m prod -p no:randomly

## Search benchmark on both backends (BENCH_SERVICES=150000 for national scale).
bench: install es-start
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.bench $(PY) -m bench.search

## Labelled queries on both backends: zero-result rate, recall, precision@5, nDCG@10
## (RELEVANCE_QUERIES=path.csv for another set; RELEVANCE_STRICT=1 fails when a target is missed).
bench-relevance: install es-start
	mkdir -p var
	$(PY) -m bench.relevance

## National-size data·inclusion import (100,000 structures, 150,000 services): time and memory.
bench-import: install es-start
	mkdir -p var
	$(PY) -m bench.importer

## Elasticsearch killed (a node of its own) during 1,000 catalogue edits: nothing lost.
bench-faults: install
	mkdir -p var
	$(PY) -m bench.faults

## Three Elasticsearch nodes, one killed (SIGKILL) and restarted while 8 clients search and
## 1,000 edits go through: 0 failed searches, 0 lost edits, index equal to the database.
bench-cluster: install es-start
	mkdir -p var
	$(PY) -m bench.cluster

## 8 connections × 60 s (wrk) against gunicorn (search API, then page; Elasticsearch): 0 errors expected.
bench-load: install es-start
	@scripts/ensure-wrk.sh
	mkdir -p var
	$(PY) -m bench.load

browsers:
	@scripts/ensure-chromium.sh

## The local OpenID Connect provider (shaped like ProConnect) the login tests go through.
proconnect:
	@scripts/ensure-proconnect.sh

## A local Elasticsearch 8 (Maven Central test distribution, run as an unprivileged user).
es-start:
	@scripts/elasticsearch.sh start

es-stop:
	@scripts/elasticsearch.sh stop

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 var tests/proconnect/node_modules
