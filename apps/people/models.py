from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.core.models import RegionOwnedModel
from apps.people.validators import mask_nik, validate_nik_format


class Sex(models.TextChoices):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class Person(RegionOwnedModel):
    """A resident or official known to the system: kader, pengurus, TP Posyandu member, and
    (with the service day) everyone a Posyandu serves. Health and identity data: handle with care.
    """

    name = models.CharField("nama", max_length=150)
    nik = models.CharField("NIK", max_length=16, blank=True, validators=[validate_nik_format])
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("tanggal lahir", null=True, blank=True)
    phone = models.CharField("nomor telepon", max_length=20, blank=True)
    address = models.CharField("alamat", max_length=250, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="wilayah domisili", on_delete=models.PROTECT, related_name="+"
    )
    posyandu = models.ForeignKey(
        "posyandu.Posyandu", verbose_name="Posyandu", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="people",
    )
    history = HistoricalRecords()
    scope_posyandu_field = "posyandu"

    class Meta:
        verbose_name = "orang"
        verbose_name_plural = "orang"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=~Q(nik=""), name="person_nik_unique",
                                    violation_error_message="NIK ini sudah terdaftar untuk orang lain."),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:update", args=[self.pk])

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)
