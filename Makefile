# Two commands: `make run` (SQLite, demo data, server on :8000) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-pg lint bench sysdeps clean

# Debian packages: WeasyPrint's Pango and fonts, Chromium for browser tests, gettext.
SYSDEPS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium gettext
$(VENV)/.sysdeps:
	@mkdir -p $(VENV)
	@missing=$$(for p in $(SYSDEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Memasang paket Debian: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/.sysdeps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

sysdeps: $(VENV)/.sysdeps

run: $(VENV)/.installed
	@mkdir -p var
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DJANGO_DEBUG=1 $(PY) manage.py load_regions
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	@echo "Membuka http://$(HOST):$(PORT)/ (Ctrl+C untuk berhenti)"
	@# The job queue's worker (report recomputes, escalations) runs beside the server and stops with it.
	@# In its own session: Ctrl+C must reach only its main process, which then stops its workers
	@# (signalled all at once, django-q2's main process waits forever for a dead sentinel).
	DJANGO_DEBUG=1 setsid $(PY) manage.py qcluster > var/qcluster.log 2>&1 & QPID=$$!; \
	trap 'kill $$QPID 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed
	$(PY) bench/bench_regions.py
	$(PY) bench/bench_growth.py
	$(PY) bench/bench_growth_batch.py
	$(PY) bench/bench_visit_load.py
	$(PY) bench/bench_kill_worker.py
	$(PY) bench/bench_import.py

clean:
	rm -rf $(VENV) var .pytest_cache
