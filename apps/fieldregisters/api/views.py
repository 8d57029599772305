from __future__ import annotations

from apps.core.api import ScopedModelViewSet
from apps.fieldregisters import filtersets
from apps.fieldregisters.api.serializers import FieldActivitySerializer, IncidentReportSerializer, serializer_for
from apps.fieldregisters.models import (
    EducationCase,
    FieldActivity,
    HousingCase,
    IncidentReport,
    SocialCase,
    WaterSanitationSurvey,
)
from apps.privacy.api import AccessLoggedViewSetMixin
from apps.privacy.models import AccessSubject


def viewset(model: type, filterset: type, serializer: type | None = None, doc: str = "",
            bases: tuple[type, ...] = (), **attrs: object) -> type:
    return type(f"{model.__name__}ViewSet", (*bases, ScopedModelViewSet), {**attrs,
        "__doc__": doc, "queryset": model.objects.select_related("posyandu").order_by("-pk"),
        "serializer_class": serializer or serializer_for(model), "filterset_class": filterset,
    })


EducationCaseViewSet = viewset(EducationCase, filtersets.EducationCaseFilterSet, doc="Data bidang pendidikan.")
SocialCaseViewSet = viewset(SocialCase, filtersets.SocialCaseFilterSet, doc="Data bidang sosial.")
HousingCaseViewSet = viewset(HousingCase, filtersets.HousingCaseFilterSet, doc="Data bidang perumahan (RTLH).")
WaterSanitationViewSet = viewset(WaterSanitationSurvey, filtersets.WaterSanitationFilterSet,
                                 doc="Survei air minum dan sanitasi keluarga.")
IncidentReportViewSet = viewset(IncidentReport, filtersets.IncidentReportFilterSet, IncidentReportSerializer,
                                doc="Laporan kejadian trantibumlinmas (identitas pelapor dirahasiakan).",
                                bases=(AccessLoggedViewSetMixin,), access_subject=AccessSubject.REPORTER)
FieldActivityViewSet = viewset(FieldActivity, filtersets.FieldActivityFilterSet, FieldActivitySerializer,
                               doc="Kegiatan bidang SPM non-kesehatan.")
