import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from apps.competency.models import KaderLevel, Training
from apps.posyandu.models import Kader

BADGE = {
    # The yellow pin is Madya [S]; the other colours are ours [U].
    KaderLevel.NONE.value: "text-bg-secondary",
    KaderLevel.PURWA.value: "text-bg-success",
    KaderLevel.MADYA.value: "text-bg-warning",
    KaderLevel.UTAMA.value: "text-bg-primary",
}


def level_badge(level: str | None) -> str:
    level = level or KaderLevel.NONE.value
    return format_html('<span class="badge rounded-pill {}" data-level="{}">{}</span>',
                       BADGE.get(level, "text-bg-secondary"), level, KaderLevel(level).label)


class TrainingTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="Pelatihan")
    start_date = tables.DateColumn(verbose_name="Mulai", format="j N Y")
    region_code = tables.Column(verbose_name="Wilayah")
    mode = tables.Column(verbose_name="Cara")
    organiser = tables.Column(verbose_name="Penyelenggara", accessor="organiser_text", orderable=False)
    participants = tables.Column(verbose_name="Peserta", accessor="participant_count", orderable=False)

    class Meta:
        model = Training
        fields = ["title", "start_date", "region_code", "mode", "organiser", "participants"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Belum ada pelatihan."


class KaderLevelTable(tables.Table):
    name = tables.Column(verbose_name="Kader", accessor="person__name", order_by="person__name")
    posyandu = tables.Column(verbose_name="Posyandu", accessor="posyandu__name", order_by=("posyandu__region_code",
                                                                                          "posyandu__name"))
    field = tables.Column(verbose_name="Bidang", accessor="field__short_name", order_by="field__order")
    level = tables.Column(verbose_name="Tingkat", accessor="level_code", order_by="level_rank")
    skill_count = tables.Column(verbose_name="Keterampilan", accessor="skill_total", order_by="skill_total")

    class Meta:
        model = Kader
        fields = ["name", "posyandu", "field", "level", "skill_count"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Tidak ada kader."

    def render_name(self, value: str, record: Kader) -> str:
        return format_html('<a href="{}">{}</a>', reverse("competency:kader_detail", args=[record.pk]), value)

    def render_level(self, value: str) -> str:
        return level_badge(value)
