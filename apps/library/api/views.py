from __future__ import annotations

from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from apps.core.api import ScopedModelViewSet
from apps.library.api.serializers import DocumentSerializer
from apps.library.filtersets import DocumentFilterSet
from apps.library.models import Document


class DocumentViewSet(ScopedModelViewSet):
    """Dokumen pustaka: nasional (dibaca semua pengguna bertugas) dan milik wilayah pengguna.
    Unggah berkas PDF dengan multipart/form-data."""

    queryset = Document.objects.select_related("region").prefetch_related("fields").order_by("-year", "title", "pk")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
