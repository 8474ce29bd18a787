# Two commands do everything on a fresh machine with Python 3.11+, Node 20+ and make:
#   make run    the portal with demo content at http://127.0.0.1:8000 (PORT=8101 for another port)
#   make test   the whole test suite
# Both install only what changed: the virtualenv is rebuilt when requirements/*.txt change, node_modules when
# package-lock.json changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
# `make run PORT=8101` serves on another port. Links in emails and certificates follow it (SITE_URL points at this
# server) unless SITE_URL is set: in the environment, on the command line or in .env (read by settings.py, so it
# must not be overridden here).
PORT ?= 8000
ifeq ($(origin SITE_URL),undefined)
ifeq ($(shell grep -s '^SITE_URL=' .env),)
SITE_URL := http://127.0.0.1:$(PORT)
endif
endif
DEV_ENV := DJANGO_DEBUG=true $(if $(SITE_URL),SITE_URL=$(SITE_URL))

.PHONY: run test lint format bootstrap migrate seed worker beat lock clean check-deploy

run: bootstrap
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo "The portal is at http://127.0.0.1:$(PORT) (stop it with Ctrl+C)"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: bootstrap
	$(BIN)/pytest $(PYTEST_ARGS)

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: bootstrap
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bootstrap: $(PY_STAMP) $(NPM_STAMP)

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/base.txt -r requirements/dev.txt
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

worker: bootstrap
	$(BIN)/celery -A portal worker -Q celery,outbox --loglevel=info

beat: bootstrap
	$(BIN)/celery -A portal beat --loglevel=info

# Re-pin Python dependencies after editing requirements/*.in (needs network access to PyPI).
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 requirements/base.in -o requirements/base.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 requirements/dev.in -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules var
