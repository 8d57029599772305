"""WSGI entry point for gunicorn."""
import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every URL's views and serializers now rather than on the first request: with gunicorn's
# preload_app (config/gunicorn.py) this happens once in the master, is shared by the forked
# workers and is frozen below with the rest.
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports

# The offline hari buka's rules and service worker, compressed once here rather than by the first
# phone's request (about a second of brotli; bench/bench_offline_3g.py).
from apps.offline.views import warm_shared_bodies  # noqa: E402

warm_shared_bodies()

# Move everything loaded so far (Django, the apps, their modules) out of the cyclic collector's
# reach: full collections then scan only what requests allocate. Measured on the programme sync
# page: p95 230-290 ms → 127-134 ms, median unchanged (bench/bench_sync_view.py).
gc.freeze()
