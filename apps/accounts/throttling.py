"""Login throttling (django-axes) per username and per client IP, each with its own limit.

django-axes counts failures per set of lockout parameters but compares every set with one limit.
A username needs a low one (5: a guessed password), an IP a higher one: a Puskesmas or a mobile
operator puts many kader behind one address (carrier-grade NAT), and five typos among them must
not lock the whole office out. `LoginThrottleHandler` measures both and expresses the IP's count
in units of the username limit, so axes' own comparison (failures >= AXES_FAILURE_LIMIT) locks at
AXES_FAILURE_LIMIT failures for a username (from any IP) or AXES_IP_FAILURE_LIMIT failures from
an IP (for any usernames) within the cool-off window. docs/security.md describes the policy.
"""
from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_ip(request: Any) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies (nginx
    appending to X-Forwarded-For) the address the outermost of them saw. Entries further left
    are written by the client and are never trusted."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def _failures(attempts: Any) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with separate limits per username and per IP."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        recent = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_user = _failures(recent.filter(username=username)) if username else 0
        by_ip = _failures(recent.filter(ip_address=request.axes_ip_address)) if request.axes_ip_address else 0
        user_limit, ip_limit = settings.AXES_FAILURE_LIMIT, settings.AXES_IP_FAILURE_LIMIT
        # by_ip * user_limit // ip_limit >= user_limit exactly when by_ip >= ip_limit.
        return max(by_user, by_ip * user_limit // ip_limit)
