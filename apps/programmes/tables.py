import django_tables2 as tables

from apps.programmes.models import Programme


class ProgrammeTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="Program")
    year = tables.Column(verbose_name="Tahun")
    field = tables.Column(verbose_name="Bidang", order_by=("field__order",))
    opd = tables.Column(verbose_name="OPD")
    team = tables.Column(verbose_name="TP Posyandu", order_by=("region_code",))
    budget = tables.TemplateColumn("Rp{{ record.budget|floatformat:'0g' }}", verbose_name="Anggaran",
                                   attrs={"td": {"class": "text-end text-nowrap"}})
    funding_source = tables.Column(verbose_name="Sumber dana")
    schedule = tables.Column(accessor="schedule_text", verbose_name="Jadwal", orderable=False)
    status = tables.Column(verbose_name="Status")

    class Meta:
        model = Programme
        fields = ["name", "year", "field", "opd", "team", "budget", "funding_source", "schedule", "status"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Belum ada program kerja."
