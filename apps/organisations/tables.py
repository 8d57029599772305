import django_tables2 as tables

from apps.organisations.models import Opd, TimPembina


class OpdTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="Nama OPD")
    region_code = tables.Column(verbose_name="Kode wilayah")
    field_list = tables.TemplateColumn(
        "{% for f in record.fields.all %}<span class='badge text-bg-light border'>{{ f }}</span> {% endfor %}",
        verbose_name="Bidang SPM", orderable=False,
    )

    class Meta:
        model = Opd
        fields = ["name", "short_name", "region_code", "field_list"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Tidak ada OPD."


class TimPembinaTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="Nama")
    region_code = tables.Column(verbose_name="Kode wilayah")

    class Meta:
        model = TimPembina
        fields = ["name", "region_code", "sk_number", "term_start", "term_end", "is_active"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Tidak ada TP Posyandu."
