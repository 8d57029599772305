"""Rakor API: the same scope, forms of validation and services as the pages. Decisions are created
through `services.record_decision`, so a follow-up is made exactly as on the page."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import ScopedModelViewSet
from apps.meetings import agenda, services
from apps.meetings.api.serializers import (
    AgendaItemSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    MeetingSerializer,
    ParticipantSerializer,
    django_errors,
)
from apps.meetings.filtersets import MeetingFilterSet
from apps.meetings.models import AgendaItem, Decision, Meeting, Participant


class MeetingViewSet(ScopedModelViewSet):
    queryset = Meeting.objects.select_related("team").order_by("-scheduled_at", "-pk")
    serializer_class = MeetingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeetingFilterSet

    def perform_create(self, serializer: Any) -> None:
        serializer.validated_data["created_by"] = self.request.user
        super().perform_create(serializer)

    @extend_schema(responses={200: None}, summary="Usulan agenda dari data")
    @action(detail=True, methods=["get"], url_path="usulan-agenda")
    def proposals(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        items = agenda.proposals_for_meeting(meeting, timezone.localdate())
        present = set(meeting.agenda_items.exclude(source_key="").values_list("source_key", flat=True))
        return Response([{"key": p.key, "kind": p.kind, "title": p.title, "detail": p.detail,
                          "field": p.field_code or None, "url": p.url, "on_agenda": p.key in present}
                         for p in items])


class MeetingChildViewSet(ScopedModelViewSet):
    filterset_fields = ["meeting"]
    filter_backends = [DjangoFilterBackend]


class ParticipantViewSet(MeetingChildViewSet):
    queryset = Participant.objects.select_related("opd").order_by("meeting", "pk")
    serializer_class = ParticipantSerializer


class AgendaItemViewSet(MeetingChildViewSet):
    queryset = AgendaItem.objects.order_by("meeting", "order", "pk")
    serializer_class = AgendaItemSerializer


class DecisionViewSet(MeetingChildViewSet):
    queryset = Decision.objects.order_by("meeting", "pk")
    serializer_class = DecisionSerializer

    def get_serializer_class(self) -> Any:
        return DecisionCreateSerializer if self.action == "create" else DecisionSerializer

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.check_write_allowed()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            decision, _ = services.record_decision(acting_user=request.user, **data)
        except DjangoValidationError as exc:
            raise ValidationError(django_errors(exc)) from exc
        out = DecisionSerializer(decision, context=self.get_serializer_context())
        return Response(out.data, status=status.HTTP_201_CREATED)
