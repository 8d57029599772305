"""Guidance library pages: list, detail, upload, edit and download, scoped like every page; national
documents (no region) are readable by every assigned user."""
from __future__ import annotations

import os
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils.text import slugify
from django.views import generic

from apps.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ScopedViewMixin,
    get_scoped_or_404,
)
from apps.library.filtersets import DocumentFilterSet
from apps.library.forms import DocumentForm
from apps.library.models import Document
from apps.library.tables import DocumentTable


class DocumentListView(ScopedListView):
    model = Document
    queryset = Document.objects.all()
    filterset_class = DocumentFilterSet
    table_class = DocumentTable
    title = "Pustaka panduan"
    create_url_name = "library:create"


class DocumentDetailView(ScopedDetailView):
    model = Document
    queryset = Document.objects.select_related("region").prefetch_related("fields")
    template_name = "library/document_detail.html"


class DocumentCreateView(ScopedCreateView):
    model = Document
    form_class = DocumentForm
    form_takes_user = True
    template_name = "library/document_form.html"
    success_message = "Dokumen tersimpan di pustaka."


class DocumentUpdateView(ScopedUpdateView):
    model = Document
    form_class = DocumentForm
    form_takes_user = True
    template_name = "library/document_form.html"


class DocumentDownloadView(ScopedViewMixin, generic.View):
    """The PDF itself, through the same scope as the page (media files are never served directly)."""

    model = Document

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document: Any = get_scoped_or_404(Document.objects.all(), request.user, pk=pk)
        if not document.file:
            raise Http404("Berkas tidak ditemukan.")
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404("Berkas tidak ditemukan.") from exc
        name = slugify(f"{document.number or ''} {document.title}")[:80] or f"dokumen-{document.pk}"
        extension = os.path.splitext(document.file.name)[1] or ".pdf"
        return FileResponse(handle, as_attachment=True, filename=f"{name}{extension}",
                            content_type="application/pdf")
