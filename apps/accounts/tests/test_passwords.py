"""Password reset by e-mail, password change, and what they do to sessions and tokens.

Personas: the kader (who forgot her password), an attacker probing which addresses have accounts,
and the kab/kota officer whose account is deactivated.
"""
from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db
KADER_MAIL = "kader.melati@example.go.id"
NEW_PASSWORD = "Timbang-balita-2027"


@pytest.fixture
def kader_with_mail(persona: Any) -> Any:
    kader = persona("kader")
    kader.email = KADER_MAIL
    kader.save(update_fields=["email"])
    return kader


@pytest.fixture
def queued(monkeypatch: Any) -> Any:
    """Jobs go to the ORM broker as in production (the test settings run them inline)."""
    from django_q.conf import Conf
    from django_q.models import OrmQ

    monkeypatch.setattr(Conf, "SYNC", False)

    def tasks() -> list[dict[str, Any]]:
        return [item.task for item in OrmQ.objects.order_by("pk")]

    return tasks


def _ask_reset(email: str) -> tuple[Any, str, int]:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("password_reset"), {"email": email})
    done = client.get(response["Location"]).content.decode()
    done = re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", done)  # each client's own CSRF token
    return response, done, len(queries)


def test_the_reset_page_answers_the_same_whether_or_not_the_address_has_an_account(kader_with_mail, queued):
    known, known_page, known_queries = _ask_reset(KADER_MAIL)
    unknown, unknown_page, unknown_queries = _ask_reset("tidak.ada@example.go.id")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert known_page == unknown_page and "Periksa surel Anda" in known_page
    # The same work in the request either way: no lookup of the user table, no mail sent in it.
    assert known_queries == unknown_queries
    assert mail.outbox == []
    assert [t["args"][0] for t in queued()] == [KADER_MAIL, "tidak.ada@example.go.id"]


def test_the_queued_job_mails_a_working_link_only_to_an_existing_account(kader_with_mail, queued, client):
    from apps.accounts.passwords import send_password_reset

    _ask_reset(KADER_MAIL.upper())  # addresses match whatever their case
    _ask_reset("tidak.ada@example.go.id")
    sent = [send_password_reset(*task["args"]) for task in queued()]
    assert sent == [1, 0] and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [KADER_MAIL] and "kata sandi" in message.subject.lower()
    link = re.search(r"http://testserver(/masuk/sandi-baru/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Kata sandi baru" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    login = Client().post(reverse("login"), {"username": "kader.posyandu", "password": NEW_PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("home")
    assert "tidak berlaku" in client.get(link, follow=True).content.decode()  # a link works once


def test_a_deactivated_account_gets_no_reset_mail(kader_with_mail):
    from apps.accounts.passwords import send_password_reset

    kader_with_mail.is_active = False
    kader_with_mail.save(update_fields=["is_active"])
    assert send_password_reset(KADER_MAIL, "testserver", False) == 0 and mail.outbox == []


def test_changing_the_password_ends_the_users_other_sessions_but_not_this_one(persona):
    kader = persona("kader")
    phone, laptop = Client(), Client()
    phone.force_login(kader)
    laptop.force_login(kader)
    assert laptop.get(reverse("home")).status_code == 200
    response = phone.post(reverse("password_change"), {"old_password": "posyandu-demo-2026",
                                                       "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert phone.get(reverse("home")).status_code == 200  # update_session_auth_hash kept this one
    stale = laptop.get(reverse("home"))
    assert stale.status_code == 302 and reverse("login") in stale["Location"]


def test_a_reset_password_ends_every_session(kader_with_mail):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    laptop = Client()
    laptop.force_login(kader_with_mail)
    uid = urlsafe_base64_encode(force_bytes(kader_with_mail.pk))
    token = default_token_generator.make_token(kader_with_mail)
    stranger = Client()
    form_url = stranger.get(reverse("password_reset_confirm", args=[uid, token]), follow=True).redirect_chain[-1][0]
    stranger.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    stale = laptop.get(reverse("home"))
    assert stale.status_code == 302 and reverse("login") in stale["Location"]


def test_the_password_change_page_needs_a_login_and_speaks_indonesian(client, client_as):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    page = client_as("kader").post(reverse("password_change"), {"old_password": "salah", "new_password1": "a",
                                                               "new_password2": "b"}).content.decode()
    assert "Ubah kata sandi" in page and "Sandi lama Anda yang dimasukkan salah" in page


def test_a_deactivated_users_token_and_session_are_refused(persona):
    from rest_framework.authtoken.models import Token

    officer = persona("kabupaten_officer")
    token = Token.objects.create(user=officer)
    api, browser = Client(HTTP_AUTHORIZATION=f"Token {token.key}"), Client()
    browser.force_login(officer)
    assert api.get("/api/posyandu/").status_code == 200
    assert browser.get(reverse("home")).status_code == 200
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    refused = api.get("/api/posyandu/")
    # 403, not 401: DRF answers with the first authentication class's header, and session auth has none.
    assert refused.status_code == 403 and "tidak akfif" in refused.json()["detail"]  # sic, DRF's id catalogue
    stale = browser.get(reverse("home"))
    assert stale.status_code == 302 and reverse("login") in stale["Location"]
