"""The API fuzzer's figures in the terminal summary (operations covered, requests sent)."""
from __future__ import annotations

import sys
from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    module = sys.modules.get("apps.core.tests.test_api_fuzz")
    app = getattr(module, "APP", None)
    if app is not None and app.sent:
        terminalreporter.write_line(app.summary())
