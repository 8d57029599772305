"""Serializers of the service-day API: people, households, pregnancies, hari buka, visits,
immunisations and referrals.

Results of a visit are never accepted from the client: they are computed by
`services.record_visit` and exposed read-only. Every related-object field is narrowed to the
user's scope (the viewset mixin does it for plain querysets; the fields below that need a wider or
different scope resolve their queryset per request).
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from apps.core.scoping import CHANGE, VIEW, code_q, get_scope, is_in_scope
from apps.people.models import MAX_CHILDREN, Household, Person, Pregnancy, Sex, marital_errors
from apps.people.validators import mask_nik, nik_warnings, validate_nik_format
from apps.posyandu.models import Pos, Posyandu
from apps.privacy.api import note_shown
from apps.regions.models import Region
from apps.serviceday import rules, services
from apps.serviceday.forms import DANGER_SIGNS, TOPICS
from apps.serviceday.models import Immunisation, Referral, ReferralStatus, ServiceSession, Visit


def django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF's {field: [messages]} body (the messages are Indonesian)."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}


def _user(serializer: serializers.Field | serializers.BaseSerializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class WritableVillageField(serializers.SlugRelatedField):
    """A desa/kelurahan by its Kemendagri code, among the villages the user may register people in:
    those under a read-write region assignment and those of a read-write Posyandu assignment (a
    kader registers the people their Posyandu serves). The row itself is re-checked after saving."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("error_messages", {
            "does_not_exist": "Kode desa/kelurahan {value} tidak dikenal atau di luar wilayah tugas Anda.",
            "invalid": "Kode desa/kelurahan tidak valid.",
        })
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        scope = get_scope(_user(self), CHANGE)
        villages = Region.objects.current().filter(level=4)
        if scope.everything:
            return villages
        q = Q(pk__in=[])
        for code in scope.region_codes:
            q |= code_q("code", code)
        if scope.posyandu_village_codes:
            q |= Q(code__in=scope.posyandu_village_codes)
        return villages.filter(q)


class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the user can see: a walk-in served by another Posyandu may visit this one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {
            "does_not_exist": "Orang dengan id {pk_value} tidak ditemukan di wilayah Anda.",
            "incorrect_type": "Id orang harus berupa angka.",
        })
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        # Whether she has any pregnancy, in the same query: services.stage_for then skips the
        # pregnancy lookup for everyone who has none (every child, most adults).
        return Person.objects.for_user(_user(self), VIEW).annotate(
            has_pregnancies=Exists(Pregnancy.objects.filter(person=OuterRef("pk"))))


def _not_found(label: str) -> dict[str, str]:
    return {"does_not_exist": f"{label} dengan id {{pk_value}} tidak ditemukan atau di luar wilayah tugas Anda.",
            "incorrect_type": f"Id {label.lower()} harus berupa angka."}


class CachedFieldsMixin:
    """Build a ModelSerializer's fields from the model once per class, then copy them per request.

    DRF introspects the model on every instantiation; for the visit (about 90 fields) that and
    DRF's deep copy were a quarter of a save's CPU time. A shallow copy per field is enough: the
    request-specific state (binding to this serializer, a queryset narrowed to the user) is set on
    the copy, never on the prototype. Fields with a bound child (lists, nested serializers) are
    deep-copied so their child's parent is this request's field.
    """

    _fields_prototype: dict[str, Any] | None = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        if cls.__dict__.get("_fields_prototype") is None:
            cls._fields_prototype = super().get_fields()  # type: ignore[misc]
        fields = {}
        for name, field in cls._fields_prototype.items():
            nested = hasattr(field, "child") or hasattr(field, "child_relation") or isinstance(
                field, serializers.BaseSerializer)
            fields[name] = copy.deepcopy(field) if nested else _shallow_copy(field)
        return fields


def _shallow_copy(field: Any) -> Any:
    """copy.copy without its generic reduce/reconstruct path (five times slower, and a visit has
    about 90 fields per request)."""
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


# --- People -----------------------------------------------------------------------------------


class HouseholdSerializer(serializers.ModelSerializer):
    region = WritableVillageField()
    posyandu = serializers.PrimaryKeyRelatedField(
        queryset=Posyandu.objects.all(), allow_null=True, required=False,
        error_messages=_not_found("Posyandu"))

    class Meta:
        model = Household
        fields = ["id", "kk_number", "head_name", "address", "dusun", "rw", "rt", "region", "region_code", "posyandu",
                  "created_at", "updated_at"]
        read_only_fields = ["region_code", "created_at", "updated_at"]
        # KK uniqueness is checked below with the model's own message, not DRF's generic one.
        validators: list[Any] = []
        extra_kwargs = {"kk_number": {"validators": [validate_nik_format]}}

    def validate_kk_number(self, value: str) -> str:
        value = (value or "").strip().replace(" ", "")
        if value and Household.objects.filter(kk_number=value).exclude(pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError("Nomor KK ini sudah terdaftar.")
        return value


class PersonSerializer(serializers.ModelSerializer):
    """The NIK is shown in full only to users who may change the person; everyone else gets the
    region prefix (UU 27/2022: no more personal data than the task needs)."""

    region = WritableVillageField()
    posyandu = serializers.PrimaryKeyRelatedField(
        queryset=Posyandu.objects.all(), allow_null=True, required=False,
        error_messages=_not_found("Posyandu"))
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all(), allow_null=True, required=False,
                                                   error_messages=_not_found("Keluarga"))
    mother = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), allow_null=True, required=False,
                                                error_messages=_not_found("Ibu"))
    nik_masked = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()
    stage_label = serializers.SerializerMethodField()
    nik_warnings = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "nik", "nik_masked", "nik_warnings", "sex", "birth_date", "phone", "address", "region",
                  "region_code", "posyandu", "household", "mother", "disability", "status", "status_date",
                  "marital_status", "spouse_name", "living_children", "deceased_children", "stage",
                  "stage_label", "created_at", "updated_at"]
        read_only_fields = ["region_code", "created_at", "updated_at"]
        # NIK uniqueness is checked below with the model's own message, not DRF's generic one.
        validators: list[Any] = []
        _children_messages = {"min_value": "Jumlah anak tidak boleh negatif.",
                              "max_value": f"Jumlah anak paling banyak {MAX_CHILDREN}; periksa kembali."}
        extra_kwargs = {"nik": {"validators": [validate_nik_format]},
                        "living_children": {"error_messages": _children_messages},
                        "deceased_children": {"error_messages": _children_messages}}

    def can_see_nik(self, person: Person) -> bool:
        annotated = getattr(person, "api_can_write", None)
        if annotated is not None:
            return bool(annotated)
        return person.pk is not None and is_in_scope(person, _user(self), CHANGE)

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.can_see_nik(instance):
            data["nik"] = mask_nik(instance.nik)
        elif instance.nik:
            note_shown(self, instance)
        return data

    @extend_schema_field(serializers.BooleanField())
    def get_nik_masked(self, person: Person) -> bool:
        return bool(person.nik) and not self.can_see_nik(person)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_nik_warnings(self, person: Person) -> list[str]:
        # A mismatch says something about the digits: only for those who see them.
        if not self.can_see_nik(person):
            return []
        return nik_warnings(person.nik, sex=person.sex, birth_date=person.birth_date)

    def _today(self) -> dt.date:
        return self.context.get("today") or timezone.localdate()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_stage(self, person: Person) -> str | None:
        return services.stage_for(person, self._today())

    def get_stage_label(self, person: Person) -> str:
        return rules.stage_label(services.stage_for(person, self._today()))

    def validate_nik(self, value: str) -> str:
        value = (value or "").strip().replace(" ", "")
        if value and Person.objects.filter(nik=value).exclude(pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError("NIK ini sudah terdaftar untuk orang lain.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        birth = attrs.get("birth_date", getattr(self.instance, "birth_date", None))
        if birth and birth > timezone.localdate():
            raise serializers.ValidationError({"birth_date": "Tanggal lahir tidak boleh di masa depan."})
        mother = attrs.get("mother")
        if mother is not None:
            if mother.sex != Sex.P:
                raise serializers.ValidationError({"mother": "Ibu harus berjenis kelamin perempuan."})
            if self.instance is not None and mother.pk == self.instance.pk:
                raise serializers.ValidationError({"mother": "Seseorang tidak dapat menjadi ibunya sendiri."})
        marital = {name: attrs[name] if name in attrs else getattr(self.instance, name, None)
                   for name in ("marital_status", "spouse_name", "living_children", "deceased_children")}
        errors = marital_errors(marital_status=marital["marital_status"] or "", spouse_name=marital["spouse_name"] or "",
                                living_children=marital["living_children"],
                                deceased_children=marital["deceased_children"], birth_date=birth,
                                on=timezone.localdate())
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PregnancySerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), error_messages=_not_found("Ibu"))
    due_date = serializers.DateField(required=False, label="taksiran persalinan",
                                     help_text="Dihitung dari HPHT + 280 hari bila dikosongkan.")
    gestational_weeks = serializers.SerializerMethodField()

    class Meta:
        model = Pregnancy
        fields = ["id", "person", "lmp_date", "due_date", "ended_on", "outcome", "gestational_weeks", "created_at",
                  "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_gestational_weeks(self, pregnancy: Pregnancy) -> int | None:
        if pregnancy.ended_on:
            return None
        return pregnancy.gestational_weeks(timezone.localdate())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = {f: getattr(self.instance, f) for f in ("person", "lmp_date", "due_date", "ended_on", "outcome")} \
            if self.instance else {}
        merged = {**current, **attrs}
        if merged.get("person") is not None and merged["person"].sex != Sex.P:
            raise serializers.ValidationError({"person": "Kehamilan hanya dapat dicatat untuk perempuan."})
        if not merged.get("lmp_date") and not merged.get("due_date"):
            raise serializers.ValidationError({"due_date": "Isi HPHT atau taksiran persalinan."})
        if merged.get("lmp_date") and not attrs.get("due_date") and "lmp_date" in attrs:
            attrs["due_date"] = merged["lmp_date"] + dt.timedelta(days=280)  # Naegele, as the model does
        try:
            Pregnancy(**{k: v for k, v in {**merged, **attrs}.items() if k != "person"}).clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors(exc)) from exc
        return attrs


# --- Service day --------------------------------------------------------------------------------


class ServiceSessionSerializer(serializers.ModelSerializer):
    """Opening a hari buka: POST the Posyandu and the date; the same day again returns it."""

    posyandu = serializers.PrimaryKeyRelatedField(
        queryset=Posyandu.objects.all(),
        error_messages=_not_found("Posyandu"))
    pos = serializers.PrimaryKeyRelatedField(queryset=Pos.objects.all(), allow_null=True, required=False,
                                             error_messages=_not_found("Pos"))
    visit_count = serializers.SerializerMethodField()

    class Meta:
        model = ServiceSession
        fields = ["id", "posyandu", "pos", "date", "status", "notes", "opened_by", "visit_count", "created_at"]
        read_only_fields = ["opened_by", "created_at"]
        validators: list[Any] = []  # opening an open day again is not an error: it returns that day

    @extend_schema_field(serializers.IntegerField())
    def get_visit_count(self, session: ServiceSession) -> int:
        count = getattr(session, "api_visit_count", None)
        return count if count is not None else session.visits.count()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            for name in ("posyandu", "pos", "date"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: "Posyandu, Pos dan tanggal hari buka tidak dapat diubah; buka hari buka baru."})
            return attrs
        if attrs["date"] > timezone.localdate():
            raise serializers.ValidationError({"date": "Hari buka tidak dapat dibuka untuk tanggal yang akan datang."})
        pos = attrs.get("pos")
        if pos is not None and pos.posyandu_id != attrs["posyandu"].pk:
            raise serializers.ValidationError({"pos": "Pos ini bukan milik Posyandu yang dipilih."})
        return attrs


class ReferralBriefSerializer(serializers.ModelSerializer):
    reason_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "reasons", "reason_labels", "status", "status_display", "feedback_due"]
        read_only_fields = fields


VISIT_INPUT_FIELDS = [
    "walk_in", "step_registered", "step_measured", "step_recorded", "step_served", "step_counselled",
    "weight_kg", "height_cm", "position", "head_circ_cm", "muac_cm", "waist_cm", "systolic", "diastolic",
    "glucose_mg_dl", "hb_g_dl", "gestational_age_weeks", "oedema", "confirmed_unusual",
    "exclusive_breastfeeding", "complementary_feeding", "vitamin_a", "deworming", "supplementary_food", "development",
    "iron_tablets", "mothers_class", "danger_signs", "smoker", "active", "adl_score", "cognition_impaired", "fall_risk",
    "tbc_cough", "tbc_fever", "tbc_weight", "tbc_contact", *services.PUMA_FIELDS,
    "vision_right", "vision_left", "hearing_right", "hearing_left",
    "counselling_topics", "counselled", "contraception", "notes",
]


class VisitSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    """One person at one hari buka. Results (z-scores, categories, KMS, risk flags) are computed by
    the server when saved and returned in the same response."""

    session = serializers.PrimaryKeyRelatedField(queryset=ServiceSession.objects.select_related("posyandu"),
                                                 error_messages=_not_found("Hari buka"))
    person = VisiblePersonField()
    danger_signs = serializers.ListField(
        child=serializers.ChoiceField(choices=DANGER_SIGNS, error_messages={
            "invalid_choice": "Tanda bahaya \"{input}\" tidak dikenal."}),
        required=False, help_text="Kode tanda bahaya: " + ", ".join(c for c, _ in DANGER_SIGNS))
    counselling_topics = serializers.ListField(
        child=serializers.ChoiceField(choices=TOPICS, error_messages={
            "invalid_choice": "Topik penyuluhan \"{input}\" tidak dikenal."}),
        required=False, help_text="Kode topik: " + ", ".join(c for c, _ in TOPICS))
    person_name = serializers.CharField(source="person.name", read_only=True)
    stage_label = serializers.SerializerMethodField()
    tbc_symptoms = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text="Jumlah gejala TBC (0-4; null bila tidak diskrining). Untuk balita yang ditimbang, 'BB tidak naik' "
                  "dibaca dari KMS (2T ya, N tidak).")
    referral = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "session", "posyandu", "person", "person_name", "visit_date", *VISIT_INPUT_FIELDS,
                  *services.RESULT_FIELDS, "tbc_symptoms", "stage_label", "referral", "warnings", "recorded_by",
                  "created_at", "updated_at"]
        read_only_fields = ["posyandu", "visit_date", *services.RESULT_FIELDS, "recorded_by", "created_at",
                            "updated_at"]
        validators: list[Any] = []  # one visit per person per day: checked below with the model's message

    def get_stage_label(self, visit: Visit) -> str:
        return rules.stage_label(visit.stage or None)

    @extend_schema_field(ReferralBriefSerializer(allow_null=True))
    def get_referral(self, visit: Visit) -> dict[str, Any] | None:
        if hasattr(visit, "api_referral"):  # just saved: the proposal (or None) came back from the service
            referral = visit.api_referral
        elif visit.pk:
            # Prefetched in lists; the newest referral of the visit is the one that counts.
            referrals = sorted(visit.referrals.all(), key=lambda r: r.created_at, reverse=True)
            referral = referrals[0] if referrals else None
        else:
            referral = None
        return ReferralBriefSerializer(referral).data if referral else None

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_warnings(self, visit: Visit) -> dict[str, str]:
        """Unusual values the kader confirmed (only in the response to the save)."""
        return getattr(visit, "api_warnings", {})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            for name in ("session", "person"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: "Hari buka dan orang pada kunjungan tidak dapat diubah; catat kunjungan baru."})
            return attrs
        session, person = attrs["session"], attrs["person"]
        # A second visit of the same person on the same day is refused by the database constraint
        # (the view turns it into a 400): no extra query on every save.
        if person.posyandu_id != session.posyandu_id:
            attrs["walk_in"] = True  # served by another Posyandu: registered here for this day only
        return attrs


class ImmunisationSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), error_messages=_not_found("Orang"))
    visit = serializers.PrimaryKeyRelatedField(queryset=Visit.objects.all(), allow_null=True, required=False,
                                               error_messages=_not_found("Kunjungan"))

    class Meta:
        model = Immunisation
        fields = ["id", "person", "vaccine", "given_on", "visit", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []  # one dose once: checked below with the model's message

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = {f: getattr(self.instance, f) for f in ("person", "vaccine", "given_on", "visit")} \
            if self.instance else {}
        merged = {**current, **attrs}
        person, given_on, visit = merged["person"], merged["given_on"], merged.get("visit")
        merged["vaccine"] = attrs["vaccine"] = merged["vaccine"].strip() if "vaccine" in attrs else merged["vaccine"]
        if given_on > timezone.localdate():
            raise serializers.ValidationError({"given_on": "Tanggal imunisasi tidak boleh di masa depan."})
        if person.birth_date and given_on < person.birth_date:
            raise serializers.ValidationError({"given_on": "Tanggal imunisasi sebelum tanggal lahir."})
        if visit is not None and visit.person_id != person.pk:
            raise serializers.ValidationError({"visit": "Kunjungan ini milik orang lain."})
        if Immunisation.objects.filter(person=person, vaccine=merged["vaccine"]).exclude(
                pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError({"vaccine": "Dosis ini sudah tercatat."})
        return attrs


class ReferralSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    reason_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "posyandu", "person", "person_name", "visit", "reasons", "reason_labels", "status",
                  "status_display", "referred_to", "decided_by", "decided_on", "feedback_due", "feedback_on",
                  "feedback", "is_overdue", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_overdue(self, referral: Referral) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return bool(referral.status == ReferralStatus.REFERRED and referral.feedback_due
                    and referral.feedback_due < today)


class ReferralDecisionSerializer(serializers.Serializer):
    refer = serializers.BooleanField(help_text="true: dirujuk ke Puskesmas; false: usulan ditutup (tidak dirujuk).")
    referred_to = serializers.CharField(max_length=150, required=False, allow_blank=True, default="",
                                        help_text="Tujuan rujukan; kosong berarti Puskesmas.")
    on = serializers.DateField(required=False, allow_null=True, default=None,
                               help_text="Tanggal keputusan; kosong berarti hari ini.")

    def validate_on(self, value: dt.date | None) -> dt.date | None:
        if value and value > timezone.localdate():
            raise serializers.ValidationError("Tanggal keputusan tidak boleh di masa depan.")
        return value


class ReferralFeedbackSerializer(serializers.Serializer):
    feedback = serializers.CharField(help_text="Isi balasan rujukan dari Puskesmas.", allow_blank=True)
    feedback_on = serializers.DateField(required=False, allow_null=True, default=None,
                                        help_text="Tanggal balasan; kosong berarti hari ini.")

    def validate_feedback_on(self, value: dt.date | None) -> dt.date | None:
        if value and value > timezone.localdate():
            raise serializers.ValidationError("Tanggal balasan tidak boleh di masa depan.")
        return value
