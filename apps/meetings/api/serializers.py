"""Serializers of the rakor API. Rows under a meeting name it by id; the meeting must be writable
(checked by the viewset after the save, inside the transaction)."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.regioncodes import within
from apps.meetings.models import AgendaItem, Decision, Meeting, Participant
from apps.organisations.models import Opd
from apps.spm.models import SpmField


class MeetingSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "team", "region_code", "title", "kind", "scheduled_at", "place", "status", "chair",
                  "secretary", "minutes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_team(self, team: Any) -> Any:
        if self.instance is not None and team != self.instance.team:
            raise serializers.ValidationError("TP Posyandu sebuah rapat tidak dapat dipindah.")
        return team


@extend_schema_field(OpenApiTypes.INT)
class OpdAreaField(serializers.PrimaryKeyRelatedField):
    """An OPD the user can read; that it belongs to the meeting's area or above is checked in
    validate()."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return Opd.objects.for_user(getattr(request, "user", None))


class MeetingChildSerializer(serializers.ModelSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        meeting = attrs.get("meeting") or getattr(self.instance, "meeting", None)
        if self.instance is not None and "meeting" in attrs and attrs["meeting"] != self.instance.meeting:
            raise serializers.ValidationError({"meeting": "Rapat tidak dapat diganti."})
        for name in ("opd",):
            opd = attrs.get(name)
            if opd is not None and meeting is not None and not within(meeting.region_code, opd.region_code):
                raise serializers.ValidationError({name: "OPD harus dari wilayah rapat ini atau di atasnya."})
        item = attrs.get("agenda_item")
        if item is not None and meeting is not None and item.meeting_id != meeting.pk:
            raise serializers.ValidationError({"agenda_item": "Acara ini bukan dari rapat yang sama."})
        return attrs


class ParticipantSerializer(MeetingChildSerializer):
    opd = OpdAreaField(allow_null=True, required=False)

    class Meta:
        model = Participant
        fields = ["id", "meeting", "name", "user", "opd", "position", "invited", "attended"]


class AgendaItemSerializer(MeetingChildSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "order", "title", "kind", "field", "source_key", "notes", "discussed"]
        read_only_fields = ["source_key"]


class DecisionSerializer(MeetingChildSerializer):
    followups = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "meeting", "agenda_item", "text", "field", "followups"]

    def get_followups(self, decision: Decision) -> list[int]:
        from apps.meetings.services import followups_of

        return [f.pk for f in followups_of([decision]).get(decision.pk, [])]


class DecisionCreateSerializer(serializers.Serializer):
    """A decision with its follow-up, as the page's form records it."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    text = serializers.CharField()
    field = serializers.SlugRelatedField(slug_field="code", required=False, allow_null=True,
                                         queryset=SpmField.objects.all())
    agenda_item = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)
    create_followup = serializers.BooleanField(default=True)
    followup_title = serializers.CharField(required=False, allow_blank=True, default="")
    owner_opd = OpdAreaField(required=False, allow_null=True)
    owner_name = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True)


def django_errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}
