from django.db import models


class SpmField(models.Model):
    """One of the six SPM fields (PP 2/2018) a Posyandu serves under Permendagri 13/2024.

    Reference data, loaded by a migration; referenced by kader, pengurus, OPD and programmes.
    """

    code = models.SlugField("kode", max_length=20, unique=True)
    name = models.CharField("nama", max_length=120)
    short_name = models.CharField("nama singkat", max_length=40)
    order = models.PositiveSmallIntegerField("urutan", default=0)
    legal_basis = models.CharField("dasar hukum", max_length=200, blank=True)

    class Meta:
        verbose_name = "bidang SPM"
        verbose_name_plural = "bidang SPM"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.short_name
