"""Abstract bases only: core owns no tables."""
from __future__ import annotations

from typing import Any

from django.db import models

from apps.core.regioncodes import path_codes
from apps.core.scoping import ScopedManager


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        abstract = True


class RegionOwnedModel(TimeStampedModel):
    """A row that belongs to one region and carries its ancestors' codes.

    `region_code` is the most specific code (the one scoping reads); the four path codes make every
    roll-up a single GROUP BY, as NetBox caches a row's scope ancestors.
    """

    region_code = models.CharField("kode wilayah", max_length=13, db_index=True, editable=False)
    province_code = models.CharField(max_length=2, db_index=True, editable=False)
    regency_code = models.CharField(max_length=5, blank=True, db_index=True, editable=False)
    district_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    village_code = models.CharField(max_length=13, blank=True, db_index=True, editable=False)

    objects = ScopedManager()
    scope_code_field = "region_code"
    region_field = "region"

    class Meta:
        abstract = True

    def set_region_code(self, code: str) -> None:
        self.region_code = code
        for name, value in path_codes(code).items():
            setattr(self, name, value)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Subclasses name the FK to the region they belong to in `region_field`.
        region = getattr(self, self.region_field, None)
        if region is not None:
            self.set_region_code(region.code)
        super().save(*args, **kwargs)
