"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): objects in the outsider's
area (Kabupaten Rejang Lebong, 17.02) for every model and URL parameter of this app."""
from __future__ import annotations

from typing import Any

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    """A regulation of Kabupaten Rejang Lebong, with its PDF."""
    from django.core.files.base import ContentFile

    from apps.library.models import Document
    from apps.regions.models import Region

    regency = Region.objects.current().get(code="17.02")
    document = Document.objects.filter(region=regency, title="Perbup Rejang Lebong tentang Posyandu").first()
    if document is None or not document.file.storage.exists(document.file.name):
        document = document or Document(region=regency, title="Perbup Rejang Lebong tentang Posyandu",
                                        issuer="Bupati Rejang Lebong", number="12 Tahun 2025", year=2025)
        document.file.save("perbup-rejang-lebong.pdf", ContentFile(PDF), save=True)
    return {"library_document": document}


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    from apps.library.models import Document

    return {Document: objs["library_document"]}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    return {}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    return {}
