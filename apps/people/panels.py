"""Sections other apps add to a person's page: their visits, immunisations, growth chart.

`people` sits below the apps that record services to a person (they import it), so it cannot
import them: each registers a panel in its `AppConfig.ready()`, and the person's page renders
what is registered, in order.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    template_name: str
    # (request, person, can_change) -> the template's context; None leaves the panel out.
    context: Callable[[HttpRequest, Any, bool], dict[str, Any] | None]
    order: int = 100


PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    if panel not in PANELS:
        PANELS.append(panel)
        PANELS.sort(key=lambda p: p.order)
    return panel


def render_panels(request: HttpRequest, person: Any, can_change: bool) -> list[SafeString]:
    rendered = []
    for panel in PANELS:
        context = panel.context(request, person, can_change)
        if context is not None:
            rendered.append(render_to_string(panel.template_name, {"object": person, "can_change": can_change,
                                                                   **context}, request=request))
    return rendered
