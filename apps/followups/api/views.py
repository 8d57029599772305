from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import ScopedModelViewSet
from apps.followups import services
from apps.followups.api.serializers import (
    CommentSerializer,
    EvidenceSerializer,
    FollowUpSerializer,
    StatusSerializer,
    django_errors,
)
from apps.followups.filtersets import FollowUpFilterSet
from apps.followups.models import FollowUp

# The owner's answers (status, comments, evidence) are allowed to OPD users with a read-only area.
OWNER_ACTIONS = ("set_status", "comments", "evidence")


class FollowUpViewSet(ScopedModelViewSet):
    """Tindak lanjut dalam wilayah pengguna (dan milik OPD/pengguna itu)."""

    queryset = FollowUp.objects.select_related("field", "owner_opd", "source_type").order_by("due_date", "pk")
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_object(self) -> Any:
        if self.action in OWNER_ACTIONS:
            # Read scope (404 outside it), then can_act below instead of the region write check.
            obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
            self.check_object_permissions(self.request, obj)
            return obj
        return super().get_object()

    def _act(self, followup: FollowUp) -> None:
        if not services.can_act(self.request.user, followup):
            raise PermissionDenied("Anda tidak dapat menindaklanjuti data ini.")

    @action(detail=True, methods=["get", "post"], url_path="status")
    def set_status(self, request: Request, pk: Any = None) -> Response:
        followup = self.get_object()
        if request.method == "GET":
            return Response({"status": followup.status, "choices": dict(StatusSerializer().fields["status"].choices),
                             "can_act": services.can_act(request.user, followup)})
        self._act(followup)
        data = StatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            followup = services.set_status(followup, data.validated_data["status"], acting_user=request.user,
                                           comment=data.validated_data["comment"])
        except DjangoValidationError as exc:
            raise ValidationError(django_errors(exc)) from exc
        return Response(FollowUpSerializer(followup, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: Any = None) -> Response:
        followup = self.get_object()
        if request.method == "GET":
            return Response(CommentSerializer(followup.comments.select_related("author"), many=True).data)
        self._act(followup)
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            comment = services.add_comment(followup, data.validated_data["text"], acting_user=request.user)
        except DjangoValidationError as exc:
            raise ValidationError(django_errors(exc)) from exc
        return Response(CommentSerializer(comment).data, status=http.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"])
    def evidence(self, request: Request, pk: Any = None) -> Response:
        followup = self.get_object()
        if request.method == "GET":
            return Response(EvidenceSerializer(followup.evidence.select_related("uploaded_by"), many=True).data)
        self._act(followup)
        data = EvidenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            evidence = services.add_evidence(followup, data.validated_data["file"], acting_user=request.user,
                                             description=data.validated_data.get("description", ""))
        except DjangoValidationError as exc:
            raise ValidationError(django_errors(exc)) from exc
        return Response(EvidenceSerializer(evidence).data, status=http.HTTP_201_CREATED)
