import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import Assignment, Role, User
from apps.posyandu.models import Posyandu
from apps.regions.models import Region

pytestmark = pytest.mark.django_db


def test_login_page_speaks_indonesian(client):
    body = client.get(reverse("login")).content.decode()
    assert "Nama pengguna" in body and "Kata sandi" in body and 'lang="id"' in body


def test_demo_user_logs_in_and_lands_home(client):
    response = client.post(reverse("login"), {"username": "kota.bengkulu", "password": "posyandu-demo-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "Kota Bengkulu" in home


def test_repeated_failures_lock_the_login(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "kota.bengkulu", "password": "salah"})
    response = client.post(reverse("login"), {"username": "kota.bengkulu", "password": "posyandu-demo-2026"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()


def test_wrong_password_message_is_indonesian(client):
    body = client.post(reverse("login"), {"username": "kota.bengkulu", "password": "salah"}).content.decode()
    assert "kata sandi" in body.lower() and "benar" in body.lower()


def test_password_validators_refuse_weak_passwords(persona):
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError) as exc:
        validate_password("12345678", persona("kader"))
    assert any("terlalu" in m.lower() for m in exc.value.messages)


def test_session_cookie_is_secure_outside_debug():
    from config import settings as prod

    assert prod.SESSION_COOKIE_HTTPONLY
    assert prod.CSRF_COOKIE_SECURE == prod.SECURE_HTTPS


def test_assignment_must_match_the_role_level():
    user = User(username="x", role=Role.KECAMATAN)
    user.save()
    bad = Assignment(user=user, region=Region.objects.get(code="17.71"))
    with pytest.raises(ValidationError, match="kecamatan"):
        bad.clean()
    Assignment(user=user, region=Region.objects.get(code="17.71.02")).clean()
    kader = User.objects.create(username="y", role=Role.KADER)
    with pytest.raises(ValidationError, match="satu Posyandu"):
        Assignment(user=kader, region=Region.objects.get(code="17.71.02")).clean()
    Assignment(user=kader, posyandu=Posyandu.objects.first()).clean()


def test_logout_needs_post_and_ends_the_session(client_as):
    client = client_as("kader")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_csrf_is_enforced(persona):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("kabupaten_officer"))
    response = client.post(reverse("posyandu:create"), {"name": "x"})
    assert response.status_code == 403


def test_scope_grants_are_audited(client_as, persona):
    """An admin granting an area through the admin leaves who/when in the assignment's history."""
    target = persona("unassigned")
    client = client_as("admin")
    data = {
        "username": target.username, "role": "kader", "full_name": "", "phone": "", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0", "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-posyandu": str(Posyandu.objects.first().pk), "assignments-0-can_write": "",
        "assignments-0-is_active": "on",
    }
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = Assignment.objects.get(user=target)
    record = assignment.history.get()
    assert record.history_type == "+" and record.history_user.username == "admin"
