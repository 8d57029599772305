"""The API's pages (its own module: DRF imports the pagination class while building its generics)."""
from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """?limit=&offset= pages. A page holds at most 1,000 rows (no limit let one request read a whole
    table), and an offset past any table is an empty page rather than an integer the database
    cannot take (found by the API fuzzer: ?offset=1e20 was a 500 on SQLite)."""

    max_limit = 1000
    max_offset = 2**62

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), self.max_offset)
