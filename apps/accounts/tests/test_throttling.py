"""Login throttling per username and per client address (apps/accounts/throttling.py).

Personas: an attacker guessing the kab/kota officer's password from many addresses, an attacker
trying many usernames from one address (who also has a kader account of their own), and the
officer herself logging in from elsewhere.
"""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
OFFICER, PASSWORD = "kota.bengkulu", "posyandu-demo-2026"


def attempt(username: str, password: str, ip: str, **headers: str) -> int:
    return Client(REMOTE_ADDR=ip, **headers).post(reverse("login"), {"username": username, "password": password}).status_code


def test_a_username_is_locked_after_five_failures_from_any_addresses(settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(OFFICER, "salah", f"10.1.0.{n + 1}")
    assert attempt(OFFICER, PASSWORD, "10.9.9.9") == 429  # the right password, from yet another address
    assert attempt("kader.posyandu", PASSWORD, "10.1.0.1") == 302  # others are not locked


def test_an_address_is_locked_after_thirty_failures_for_any_usernames(settings):
    assert settings.AXES_IP_FAILURE_LIMIT == 30
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        attempt(f"tebak.{n}", "salah", "10.2.0.1")
    assert attempt(OFFICER, PASSWORD, "10.2.0.1") == 302  # 29 failures: a shared office address still works
    attempt("tebak.last", "salah", "10.2.0.1")
    assert attempt(OFFICER, PASSWORD, "10.2.0.1") == 429
    assert attempt(OFFICER, PASSWORD, "10.2.0.2") == 302  # the officer elsewhere is not locked


def test_logging_in_to_ones_own_account_does_not_clear_the_address(settings):
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        attempt(f"tebak.{n}", "salah", "10.3.0.1")
    assert attempt("kader.posyandu", PASSWORD, "10.3.0.1") == 302  # the attacker's own account
    attempt("tebak.again", "salah", "10.3.0.1")
    assert attempt("kader.posyandu", PASSWORD, "10.3.0.1") == 429


def test_behind_the_proxy_the_address_nginx_saw_counts_not_one_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        # Every request comes from nginx (127.0.0.1); the client forges a different left-hand entry each time.
        attempt(f"tebak.{n}", "salah", "127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7")
    assert attempt(OFFICER, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7") == 429
    assert attempt(OFFICER, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8") == 302


def test_the_lockout_page_is_indonesian():
    for n in range(5):
        attempt(OFFICER, "salah", f"10.4.0.{n}")
    response = Client(REMOTE_ADDR="10.4.0.9").post(reverse("login"), {"username": OFFICER, "password": PASSWORD})
    assert response.status_code == 429 and "Terlalu banyak percobaan masuk" in response.content.decode()
