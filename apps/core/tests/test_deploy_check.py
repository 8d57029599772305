"""`manage.py check --deploy` is clean with the production settings (config.settings, DEBUG off),
given the environment a deployment sets (.env.example): its own secret key, its host names, HTTPS.
Run as a separate process so the settings are read from that environment, as in production."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "posyandu.example.go.id",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://posyandu.example.go.id",
        "DJANGO_SECURE_HTTPS": "1",
        **overrides,
    })
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_check_deploy_is_clean_with_production_settings():
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("overrides,warning", [
    ({"DJANGO_SECURE_HTTPS": "0"}, "security.W008"),  # no HTTPS redirect, insecure cookies
    ({"DJANGO_HSTS_SECONDS": "0"}, "security.W004"),
])
def test_check_deploy_fails_when_https_is_turned_off(overrides, warning):
    """The check can fail: the clean result above is the settings', not a silenced check's."""
    result = check_deploy(production_env(**overrides))
    assert result.returncode != 0 and warning in result.stdout + result.stderr


def test_check_deploy_fails_without_the_deployments_own_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]  # there is no default outside DEBUG
    result = check_deploy(env)
    assert result.returncode != 0 and "security.W009" in result.stdout + result.stderr
