from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from django import forms
from django.utils import timezone

from apps.core.ages import age_in_years
from apps.core.forms import BootstrapFormMixin
from apps.people.models import MARITAL_MIN_AGE_YEARS, MAX_CHILDREN, Household, Person, Pregnancy
from apps.people.validators import nik_warnings
from apps.regions.forms import clean_region_code, region_code_field


def similar_people(*, name: str, birth_date: Any, mother: Any = None, exclude_pk: Any = None) -> list[Person]:
    """Possible duplicates: the same birth date and a name that reads nearly the same
    (spelling variants such as "Nurhayati"/"Nurhayatie"), and the same mother when one is given."""
    if not name or not birth_date:
        return []
    candidates = Person.objects.filter(birth_date=birth_date).exclude(pk=exclude_pk)
    if mother is not None:
        candidates = candidates.filter(mother=mother)
    key = _name_key(name)
    return [p for p in candidates[:200] if SequenceMatcher(None, key, _name_key(p.name)).ratio() >= 0.85]


def _name_key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalpha())


# Asked of adults (the KBP adult card; the WUS/PUS register): shown from MARITAL_MIN_AGE_YEARS.
ADULT_FIELDS = ["marital_status", "spouse_name", "living_children", "deceased_children"]


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    village_code = region_code_field("Kode desa/kelurahan domisili")
    not_a_duplicate = forms.BooleanField(
        label="Saya sudah memeriksa: ini orang yang berbeda", required=False,
        help_text="Centang bila sistem menemukan orang dengan nama mirip dan tanggal lahir sama.")

    class Meta:
        model = Person
        fields = ["name", "nik", "sex", "birth_date", "birth_weight_kg", "birth_length_cm", "phone", "address",
                  "posyandu", "household", "mother", "disability", "has_kia_book", "status", "status_date", *ADULT_FIELDS]
        widgets = {"birth_date": forms.DateInput(), "status_date": forms.DateInput(),
                   # Unknown stays unknown: SKDN's K counts only a recorded Ya.
                   "has_kia_book": forms.NullBooleanSelect(),
                   "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                   # Hidden by app.js unless the person is or was married; the server checks it either way.
                   "spouse_name": forms.TextInput(attrs={"data-show-when": "marital_status:kawin,cerai_hidup,cerai_mati",
                                                         "autocomplete": "off"}),
                   "living_children": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_CHILDREN}),
                   "deceased_children": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0,
                                                                 "max": MAX_CHILDREN})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "nik", "sex", "birth_date", "village_code"])
        self.fields["mother"].queryset = Person.objects.filter(sex="P").order_by("name")
        self.fields["status"].required = False  # a new person is active unless said otherwise
        self.fields["has_kia_book"].widget.choices = [("unknown", "Belum diketahui"), ("true", "Ya"), ("false", "Tidak")]
        if self.instance.pk:
            self.fields["village_code"].initial = self.instance.region.code
        self.warnings: list[str] = []
        age = age_in_years(self.instance.birth_date, timezone.localdate()) if self.instance.pk else None
        if age is not None and age < MARITAL_MIN_AGE_YEARS and not any(
                getattr(self.instance, name) not in ("", None) for name in ADULT_FIELDS):
            # A child's record: nothing to ask. (A new person's birth date is typed in this form:
            # the page hides these fields for a child; the model refuses them either way.)
            for name in ADULT_FIELDS:
                del self.fields[name]
        else:
            for name in ADULT_FIELDS:
                self.fields[name].widget.attrs["data-adult-only"] = str(MARITAL_MIN_AGE_YEARS)
        for name in ("living_children", "deceased_children"):
            if name in self.fields:  # the model's wording, not Django's generic "Pastikan nilai ini ..."
                self.fields[name].error_messages.update(min_value="Jumlah anak tidak boleh negatif.",
                                                        max_value=f"Jumlah anak paling banyak {MAX_CHILDREN}; "
                                                                  "periksa kembali.")
        if "spouse_name" in self.fields:
            self.fields["spouse_name"].help_text = "Untuk register WUS/PUS (Format 3)."
            self.fields["marital_status"].help_text = (
                f"Untuk umur {MARITAL_MIN_AGE_YEARS} tahun ke atas (BPS). Perempuan 15–49 tahun yang kawin "
                "tercatat sebagai PUS.")

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or "aktif"

    def clean_spouse_name(self) -> str:
        return " ".join((self.cleaned_data.get("spouse_name") or "").split())

    def clean_village_code(self) -> str:
        self.instance.region = clean_region_code(self.cleaned_data["village_code"], user=self.user, levels=(4,))
        return self.cleaned_data["village_code"]

    def clean_nik(self) -> str:
        return (self.cleaned_data.get("nik") or "").strip().replace(" ", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # A NIK that disagrees with the record is a warning: older NIK carry old codes.
        self.warnings = nik_warnings(data.get("nik", ""), sex=data.get("sex"), birth_date=data.get("birth_date"))
        if not self.instance.pk and not data.get("not_a_duplicate"):
            # Duplicates are checked across the whole system, but only names the user may see are shown.
            found = similar_people(name=data.get("name", ""), birth_date=data.get("birth_date"),
                                   mother=data.get("mother"))
            if found:
                visible = Person.objects.for_user(self.user).filter(pk__in=[p.pk for p in found])
                names = ", ".join(f"{p.name} ({p.masked_nik or 'tanpa NIK'})" for p in visible) or "di wilayah lain"
                raise forms.ValidationError(
                    f"Mungkin sudah terdaftar: {names}. Periksa dulu; bila memang orang lain, centang konfirmasi.")
        if data.get("status") != "aktif" and data.get("status") and not data.get("status_date"):
            self.add_error("status_date", "Isi tanggal pindah atau meninggal.")
        return data


class HouseholdForm(BootstrapFormMixin, forms.ModelForm):
    village_code = region_code_field("Kode desa/kelurahan")

    class Meta:
        model = Household
        fields = ["kk_number", "head_name", "address", "dusun", "rw", "rt", "posyandu"]
        widgets = {"kk_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.order_fields(["kk_number", "head_name", "village_code"])
        if self.instance.pk:
            self.fields["village_code"].initial = self.instance.region.code

    def clean_village_code(self) -> str:
        self.instance.region = clean_region_code(self.cleaned_data["village_code"], user=self.user, levels=(4,))
        return self.cleaned_data["village_code"]

    def clean_kk_number(self) -> str:
        return (self.cleaned_data.get("kk_number") or "").strip().replace(" ", "")


class PregnancyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Pregnancy
        fields = ["lmp_date", "due_date", "ended_on", "outcome"]
        widgets = {"lmp_date": forms.DateInput(), "due_date": forms.DateInput(), "ended_on": forms.DateInput()}

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.person = person
        self.fields["due_date"].required = False
        self.fields["due_date"].help_text = "Kosongkan untuk dihitung dari HPHT (+280 hari)."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("lmp_date") and not data.get("due_date"):
            raise forms.ValidationError("Isi HPHT atau taksiran persalinan.")
        if self.instance.person.sex != "P":
            raise forms.ValidationError("Kehamilan hanya dicatat untuk perempuan.")
        return data
