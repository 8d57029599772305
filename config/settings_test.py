"""Test settings: production settings with test-only secrets and fast hashing.

Environment defaults are set before the main settings read them; DATABASE_URL still decides
SQLite or PostgreSQL, so CI runs the same suite on both.
"""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("DJANGO_SECURE_HTTPS", "0")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Jobs run inline in tests (the queue itself is tested against a real broker in apps/reports/tests).
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405

# Uploaded files (follow-up evidence, library documents) go to a throwaway folder, never var/media.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="posyandu-test-media-")
