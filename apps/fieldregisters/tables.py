from __future__ import annotations

import django_tables2 as tables

from apps.fieldregisters import models as m

ATTRS = {"class": "table table-sm table-hover align-middle"}


class CaseTable(tables.Table):
    posyandu = tables.Column(verbose_name="Posyandu", linkify=False)
    recorded_on = tables.DateColumn(verbose_name="Dicatat")
    status = tables.Column(verbose_name="Status")


class EducationCaseTable(CaseTable):
    person = tables.Column(verbose_name="Nama", linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = m.EducationCase
        fields = ["person", "kind", "in_paud", "out_of_school_reason", "posyandu", "recorded_on", "status"]
        attrs = ATTRS
        empty_text = "Belum ada data pendidikan."


class SocialCaseTable(CaseTable):
    person = tables.Column(verbose_name="Nama", linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = m.SocialCase
        fields = ["person", "kind", "programme", "outcome", "posyandu", "recorded_on", "status"]
        attrs = ATTRS
        empty_text = "Belum ada data sosial."


class HousingCaseTable(CaseTable):
    household = tables.Column(verbose_name="Keluarga", linkify=lambda record: record.get_absolute_url())
    uninhabitable = tables.BooleanColumn(verbose_name="Tidak layak huni", yesno="Ya,Tidak")

    class Meta:
        model = m.HousingCase
        fields = ["household", "kind", "uninhabitable", "repair_outcome", "posyandu", "recorded_on", "status"]
        attrs = ATTRS
        empty_text = "Belum ada data perumahan."


class WaterSanitationTable(CaseTable):
    household = tables.Column(verbose_name="Keluarga", linkify=lambda record: record.get_absolute_url())
    safe_water = tables.BooleanColumn(verbose_name="Air minum layak", yesno="Ya,Tidak")
    proper_sanitation = tables.BooleanColumn(verbose_name="Sanitasi layak", yesno="Ya,Tidak")
    recorded_on = tables.DateColumn(verbose_name="Tanggal survei")

    class Meta:
        model = m.WaterSanitationSurvey
        fields = ["household", "water_source", "safe_water", "proper_sanitation", "posyandu", "recorded_on",
                  "status"]
        attrs = ATTRS
        empty_text = "Belum ada survei air minum dan sanitasi."


class IncidentReportTable(CaseTable):
    """No reporter column: the reporter's identity stays on the detail page, for writers only."""

    kind = tables.Column(verbose_name="Jenis kejadian", linkify=lambda record: record.get_absolute_url())
    occurred_on = tables.DateColumn(verbose_name="Tanggal kejadian")

    class Meta:
        model = m.IncidentReport
        fields = ["kind", "occurred_on", "location", "posyandu", "recorded_on", "status"]
        attrs = ATTRS
        empty_text = "Belum ada laporan kejadian."


class FieldActivityTable(tables.Table):
    title = tables.Column(verbose_name="Kegiatan", linkify=True)
    held_on = tables.DateColumn(verbose_name="Tanggal")
    participants = tables.Column(verbose_name="Peserta", orderable=False)

    class Meta:
        model = m.FieldActivity
        fields = ["title", "kind", "field", "held_on", "posyandu", "participants_male", "participants_female",
                  "participants"]
        attrs = ATTRS
        empty_text = "Belum ada kegiatan."
