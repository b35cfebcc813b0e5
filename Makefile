PYTHON ?= python3
# `make demo PORT=8123` serves the demo there; links in its emails follow unless SITE_URL is set.
PORT ?= 8000
DEMO_SITE_URL = $${SITE_URL:-http://127.0.0.1:$(PORT)}
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench load serve migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

# Seeding again is safe: nothing is added twice, and the practice convening moves back around now.
demo: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} SITE_URL=$(DEMO_SITE_URL) $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} SITE_URL=$(DEMO_SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Lint first, so a lint failure fails `make test` (and CI) before the slow suite runs.
lint: $(STAMP)
	$(BIN)/python -m ruff check .

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=benchmarks.settings $(BIN)/python -m benchmarks.run $(ONLY)

# gunicorn on the loopback under 10, 50 and 100 connections; bounded, stops by itself.
load: $(STAMP)
	DJANGO_SETTINGS_MODULE=benchmarks.settings $(BIN)/python -m benchmarks.load

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media
