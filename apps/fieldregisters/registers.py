"""The five case registers, one entry per non-health SPM field: what the generic pages need."""
from __future__ import annotations

from dataclasses import dataclass

from apps.fieldregisters import filtersets, forms, models, tables


@dataclass(frozen=True)
class Register:
    field_code: str  # SpmField.code, also the URL segment and URL-name prefix
    title: str
    model: type
    form: type
    table: type
    filterset: type
    icon: str


REGISTERS = [
    Register("pendidikan", "Pendidikan", models.EducationCase, forms.EducationCaseForm, tables.EducationCaseTable,
             filtersets.EducationCaseFilterSet, "book"),
    Register("sosial", "Sosial", models.SocialCase, forms.SocialCaseForm, tables.SocialCaseTable,
             filtersets.SocialCaseFilterSet, "people"),
    Register("perumahan", "Perumahan rakyat dan kawasan permukiman", models.HousingCase, forms.HousingCaseForm,
             tables.HousingCaseTable, filtersets.HousingCaseFilterSet, "house"),
    Register("pupr", "Pekerjaan umum (air minum dan sanitasi)", models.WaterSanitationSurvey,
             forms.WaterSanitationForm, tables.WaterSanitationTable, filtersets.WaterSanitationFilterSet, "droplet"),
    Register("trantibumlinmas", "Ketenteraman, ketertiban umum dan pelindungan masyarakat", models.IncidentReport,
             forms.IncidentReportForm, tables.IncidentReportTable, filtersets.IncidentReportFilterSet,
             "shield-check"),
]
BY_CODE = {r.field_code: r for r in REGISTERS}
