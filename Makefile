# cfsj: the two commands a new user types are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint security scan format migrate check-deploy clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# The local trial: SQLite, a filesystem broker, DEBUG on. Ctrl-C stops the web server and the worker.
run: export DEBUG ?= true
# The demo users have no second factor; production refuses to start with this off.
run: export CFSJ_MFA_REQUIRED ?= false
run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	@mkdir -p var/log
	@DJANGO_SETTINGS_MODULE=cfsj.settings $(PY) -c "import django; django.setup(); from cfsj.celery import ensure_local_broker_dirs; ensure_local_broker_dirs()"
	@$(VENV)/bin/celery -A cfsj worker --beat --pool=solo --loglevel=INFO \
		--schedule=var/celerybeat-schedule >var/log/worker.log 2>&1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo; \
	echo "  cfsj is running at http://$(HOST):$(PORT)/  (worker log: var/log/worker.log)"; \
	echo "  Demo sign-ins: officer, clinician, intern, supervisor, partner, admin"; \
	echo "  Password: $${CFSJ_DEMO_PASSWORD:-demo-password-change-me}"; \
	echo "  Second factor: not required in this demo (CFSJ_MFA_REQUIRED=$$CFSJ_MFA_REQUIRED); always in production"; \
	echo; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

# The whole suite. Uses DATABASE_URL / REDIS_URL when set (PostgreSQL and Redis in CI).
test: $(VENV)/.dev
	$(VENV)/bin/pytest -n 2 --dist loadgroup

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet

# bandit and semgrep (project rules, offline); CI runs this after lint. See docs/security.md.
security: $(VENV)/.dev
	security/run-bandit
	security/run-semgrep

# wapiti and sqlmap against a throw-away local server with demo data (on demand, not in CI).
scan: $(VENV)/.runtime
	security/run-scanners

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate

clean:
	rm -rf $(VENV) var db.sqlite3
