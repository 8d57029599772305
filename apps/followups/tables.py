import django_tables2 as tables

from apps.followups.models import FollowUp


class FollowUpTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="Tindak lanjut")
    region_code = tables.Column(verbose_name="Wilayah")
    field = tables.Column(verbose_name="Bidang")
    owner = tables.Column(accessor="owner_label", verbose_name="Penanggung jawab", orderable=False)
    due_date = tables.DateColumn(verbose_name="Batas waktu")
    status = tables.TemplateColumn(template_name="followups/_status_badge.html", verbose_name="Status")

    class Meta:
        model = FollowUp
        fields = ["title", "region_code", "field", "owner", "due_date", "status"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Tidak ada tindak lanjut."
