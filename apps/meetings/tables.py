import django_tables2 as tables

from apps.meetings.models import Meeting


class MeetingTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="Judul")
    scheduled_at = tables.DateTimeColumn(verbose_name="Waktu", format="j N Y H.i")
    team = tables.Column(verbose_name="TP Posyandu")

    class Meta:
        model = Meeting
        fields = ["scheduled_at", "title", "kind", "team", "place", "status"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Belum ada rapat."
