"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): objects in the outsider's
area (Kabupaten Rejang Lebong, 17.02) for every model and URL parameter of this app."""
from __future__ import annotations

from typing import Any


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    """Extra objects in 17.02, built from the walk's shared objects (posyandu, person, opd, team…)."""
    return {}


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    """{Model: object} used for a route's `pk` when the view's model is Model."""
    return {}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    """Values for other URL parameters (e.g. "meeting_pk")."""
    return {}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    """Form data for this app's POST-only views (merged into the walk's POST body)."""
    return {}
