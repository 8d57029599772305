import django_tables2 as tables

from apps.library.models import Document


class DocumentTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="Judul")
    kind = tables.Column(verbose_name="Jenis")
    area = tables.TemplateColumn(
        "{% if record.region_code %}{{ record.region_code }}{% else %}"
        "<span class='badge text-bg-secondary'>Nasional</span>{% endif %}",
        verbose_name="Wilayah", order_by=("region_code",))
    download = tables.TemplateColumn(
        "<a href='{{ record.get_download_url }}' aria-label='Unduh {{ record.title }}'><i class='bi bi-download'></i></a>",
        verbose_name="", orderable=False)

    class Meta:
        model = Document
        fields = ["title", "kind", "issuer", "number", "year", "area", "download"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Belum ada dokumen."
