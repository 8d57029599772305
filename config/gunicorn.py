"""gunicorn settings for production: `.venv/bin/gunicorn -c config/gunicorn.py config.wsgi`.

Every value can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_THREADS, GUNICORN_WORKER_CLASS, GUNICORN_TIMEOUT). The defaults are the configuration
measured by bench/bench_visit_load.py (see its output and README's Benchmarks section).
"""
from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Load the application once in the master and fork: workers share its memory (config/wsgi.py
# freezes it out of the cyclic collector first) and start in milliseconds.
preload_app = True
# PDF and Excel exports of a whole kabupaten take seconds, never a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once): memory a long-lived
# process fragments is given back.
max_requests = 5000
max_requests_jitter = 500
