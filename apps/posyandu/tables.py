import django_tables2 as tables

from apps.posyandu.models import Posyandu


class PosyanduTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="Nama")
    village = tables.Column(verbose_name="Desa/Kelurahan", accessor="village__name", order_by="region_code")
    region_code = tables.Column(verbose_name="Kode desa")
    registration_number = tables.Column(verbose_name="No. registrasi")
    schedule = tables.Column(verbose_name="Hari buka", accessor="schedule_text", orderable=False)
    is_active = tables.BooleanColumn(verbose_name="Aktif", yesno="✓,–")

    class Meta:
        model = Posyandu
        fields = ["name", "village", "region_code", "registration_number", "schedule", "is_active"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Tidak ada Posyandu."
