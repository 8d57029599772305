"""One upload for a whole Puskesmas's e-PPGBM export: group the rows by the desa and Posyandu the
file names, propose a registered Posyandu for each group, and, once the user has confirmed every
group, import all of them in one transaction (apps.serviceday.imports.import_parts).

Matching, in order: a mapping confirmed before (PosyanduAlias, the same texts in an earlier
export); the same desa and Posyandu name among the Posyandu the user may import for (names
compared without "Posyandu"/"Posy." and with I, II, III read as 1, 2, 3); the closest name in that
desa (proposed, to confirm). A group whose desa is registered but outside the user's import scope
is refused with its row numbers; the user may skip it explicitly.
"""
from __future__ import annotations

import difflib
import io
import re
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.regioncodes import ancestors_of
from apps.core.scoping import CHANGE, IMPORT, get_scope
from apps.core.uploads import check_upload, types
from apps.imports.models import ImportRun, PosyanduAlias, RunStatus
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.serviceday import imports as engine
from growth.inputs import normalize_text

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SKIP = "skip"
NEW = "new"
# "Desa Padang Harapan-Posy. Cempaka 1": where the 2024 kabupaten layout writes the Posyandu.
_ADDRESS = re.compile(r"(?:desa|kel(?:urahan)?|ds)\.?\s+(?P<village>.+?)\s*-\s*pos(?:y(?:andu)?)?\.?\s*(?P<posyandu>.+)$")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
          "x": "10"}
_POSYANDU_WORDS = {"posyandu", "posy", "psy", "pos", "ilp"}


def _words(text: Any) -> list[str]:
    return re.sub(r"[^0-9a-z]+", " ", normalize_text(text)).split()


def place_key(text: Any) -> str:
    """A desa, kecamatan or kab/kota name as compared: lower case, no punctuation, no prefix."""
    words = _words(text)
    if len(words) > 1 and words[0] in ("desa", "ds", "kelurahan", "kel", "kecamatan", "kec", "kabupaten", "kab",
                                        "kota", "provinsi", "prov"):
        words = words[1:]
    return " ".join(words)


def posyandu_key(text: Any) -> str:
    """A Posyandu name as compared: without the word Posyandu, roman numbers as digits."""
    words = [_ROMAN.get(w, w) for w in _words(text)]
    while words and words[0] in _POSYANDU_WORDS:
        words = words[1:]
    return " ".join(words)


@dataclass
class Group:
    """The rows of one (desa, Posyandu) of the file."""

    key: str
    regency: str = ""
    district: str = ""
    puskesmas: str = ""
    village: str = ""
    posyandu: str = ""
    indexes: list[int] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    status: str = "unknown"  # alias, exact, close, unknown, out_of_scope
    proposal: int | None = None
    village_id: int | None = None  # the registered desa, when found in the user's scope
    candidates: list[tuple[int, str]] = field(default_factory=list)
    can_create: bool = False

    STATUS_TEXT = {"alias": "sama dengan konfirmasi sebelumnya", "exact": "nama sama", "close": "nama mirip: periksa",
                   "unknown": "belum ditemukan: pilih Posyandu", "out_of_scope": "di luar wilayah Anda"}

    @property
    def status_text(self) -> str:
        return self.STATUS_TEXT.get(self.status, self.status)

    def stored(self) -> dict[str, Any]:
        data = asdict(self)
        del data["indexes"]
        data["rows"] = len(self.row_numbers)
        data["row_numbers"] = self.row_numbers[:20]
        data["status_text"] = self.status_text
        return data


def group_rows(sheet: Any, columns: dict[str, int]) -> list[Group]:
    """Groups in the order the file first names them."""
    def cell(row: list[Any], role: str) -> str:
        j = columns.get(role)
        return "" if j is None else engine._text(row[j])

    groups: dict[str, Group] = {}
    for i, row in enumerate(sheet.rows):
        village, posyandu = cell(row, "village"), cell(row, "posyandu")
        if not posyandu:
            match = _ADDRESS.search(normalize_text(cell(row, "address")))
            if match:
                posyandu = match["posyandu"].strip().title()
                village = village or match["village"].strip().title()
        regency, district = cell(row, "regency"), cell(row, "district")
        key = "|".join((place_key(regency), place_key(district), place_key(village), posyandu_key(posyandu)))
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, regency, district, cell(row, "puskesmas"), village, posyandu)
        group.indexes.append(i)
        group.row_numbers.append(sheet.row_numbers[i])
    return list(groups.values())


def propose(groups: list[Group], user: Any) -> None:
    """Fill each group's proposal, candidates and status for this user."""
    reachable = list(Posyandu.objects.for_user(user, IMPORT).filter(is_active=True).select_related("village")
                     .order_by("name"))
    by_pk = {p.pk: p for p in reachable}
    area_names = _area_names({p.region_code for p in reachable})
    aliases = dict(PosyanduAlias.objects.filter(source_key__in=[g.key for g in groups])
                   .values_list("source_key", "posyandu_id"))
    change = get_scope(user, CHANGE)
    for group in groups:
        in_village = [p for p in reachable if _same_place(group, p, area_names)]
        group.village_id = in_village[0].village_id if in_village else _village_in_scope(group, user)
        group.can_create = group.village_id is not None and _covers(change, _code_of(group.village_id))
        pool = in_village or [p for p in reachable if not group.district
                              or place_key(area_names.get(p.district_code, "")) == place_key(group.district)]
        group.candidates = [(p.pk, f"{p.name} ({p.village.name.title()})") for p in pool or reachable]
        alias = aliases.get(group.key)
        if alias in by_pk:
            group.status, group.proposal = "alias", alias
            continue
        wanted = posyandu_key(group.posyandu)
        exact = [p for p in in_village if posyandu_key(p.name) == wanted]
        if len(exact) == 1:
            group.status, group.proposal = "exact", exact[0].pk
            continue
        names = {posyandu_key(p.name): p for p in in_village}
        close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75) if wanted else []
        if close:
            group.status, group.proposal = "close", names[close[0]].pk
        elif not in_village and group.village_id is None and _registered_elsewhere(group):
            group.status = "out_of_scope"


def _covers(scope: Any, code: str) -> bool:
    return scope.everything or any(code == c or code.startswith(c + ".") for c in scope.region_codes)


def _code_of(region_id: int) -> str:
    return Region.objects.filter(pk=region_id).values_list("code", flat=True).first() or ""


def _area_names(codes: set[str]) -> dict[str, str]:
    wanted = {a for code in codes for a in ancestors_of(code)}
    return dict(Region.objects.current().filter(code__in=wanted).values_list("code", "name"))


def _same_place(group: Group, posyandu: Posyandu, area_names: dict[str, str]) -> bool:
    if place_key(posyandu.village.name) != place_key(group.village):
        return False
    if group.district and place_key(area_names.get(posyandu.district_code, "")) != place_key(group.district):
        return False
    return True


def _village_regions(group: Group) -> list[Region]:
    if not group.village:
        return []
    found = []
    # Both readings: "Kota Padang" is a desa name in Bengkulu, not the prefix "Kota".
    names = Q(name__iexact=" ".join(_words(group.village))) | Q(name__iexact=place_key(group.village))
    for region in Region.objects.current().filter(names, level=4):
        if group.district:
            district = Region.objects.current().filter(code=region.parent_code).first()
            if district is None or place_key(district.name) != place_key(group.district):
                continue
        found.append(region)
    return found


def _village_in_scope(group: Group, user: Any) -> int | None:
    """A registered desa of this name (and kecamatan) the user may import for, with no Posyandu yet."""
    scope = get_scope(user, IMPORT)
    for region in _village_regions(group):
        if _covers(scope, region.code):
            return region.pk
    return None


def _registered_elsewhere(group: Group) -> bool:
    return bool(_village_regions(group))


# --- the run --------------------------------------------------------------------------------------

def start_run(upload: IO[bytes], user: Any) -> ImportRun:
    """Store the upload and propose the mapping. Raises ValidationError for a file that cannot be
    read at all (its message in Indonesian)."""
    if get_scope(user, IMPORT).is_empty:
        raise PermissionDenied("Anda tidak berwenang mengimpor data.")
    name = getattr(upload, "name", "") or "unggahan"
    if name.lower().endswith(".csv"):
        size = getattr(upload, "size", None) or 0
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"Berkas lebih dari {MAX_UPLOAD_BYTES // 1048576} MB.")
    else:
        check_upload(upload, accepted=types("xlsx"), max_bytes=MAX_UPLOAD_BYTES)
    upload.seek(0)
    result = engine.ImportResult()
    loaded = engine.load_sheet(upload, result)
    if loaded is None:
        raise ValidationError("; ".join(engine._row_text(r, m) for r, m in result.errors))
    sheet, columns = loaded
    groups = group_rows(sheet, columns)
    propose(groups, user)
    upload.seek(0)
    run = ImportRun(user=user, filename=name[:200], rows=len(sheet.rows), groups=[g.stored() for g in groups],
                    warnings=[list(w) for w in result.warnings])
    run.file.save(name, upload, save=False)
    run.save()
    return run


def stored_file(run: ImportRun) -> io.BytesIO:
    """The run's upload as a named in-memory file (the FieldFile's own name is its storage path)."""
    with run.file.open("rb") as handle:
        data = io.BytesIO(handle.read())
    data.name = run.filename  # type: ignore[attr-defined]
    return data


def proposed_mapping(run: ImportRun) -> dict[str, str]:
    """The mapping a user would confirm without changing anything: each group's proposal."""
    return {g["key"]: str(g["proposal"]) for g in run.groups if g["proposal"]}


@transaction.atomic
def _apply_choices(run: ImportRun, groups: list[Group], choices: dict[str, str], user: Any
                   ) -> tuple[list[tuple[Posyandu, list[int]]], list[tuple[int, str]], list[tuple[int, str]]]:
    """The parts to import, the errors (groups unmapped or out of scope), and the warnings (groups
    skipped). Creates the Posyandu the user asked to create and remembers each confirmed mapping."""
    reachable = {p.pk: p for p in Posyandu.objects.for_user(user, IMPORT)}
    parts: dict[int, tuple[Posyandu, list[int]]] = {}
    errors: list[tuple[int, str]] = []
    warnings: list[tuple[int, str]] = []
    for group in groups:
        choice = (choices.get(group.key) or "").strip()
        label = f"desa {group.village or '?'} / Posyandu {group.posyandu or '?'}"
        if choice == SKIP:
            warnings.append((group.row_numbers[0], f"{label}: {len(group.row_numbers)} baris dilewati atas pilihan "
                             "Anda (tidak diimpor)."))
            continue
        if group.status == "out_of_scope" and choice in ("", NEW):
            errors += [(n, f"{label} di luar wilayah yang boleh Anda impor: baris ini ditolak (pilih \"lewati\" "
                        "untuk mengimpor baris lainnya).") for n in group.row_numbers]
            continue
        if choice == NEW:
            if not group.can_create or not group.village_id:
                errors += [(n, f"{label}: Anda tidak berwenang membuat Posyandu baru di desa ini.")
                           for n in group.row_numbers]
                continue
            posyandu = Posyandu(village=Region.objects.get(pk=group.village_id), name=_new_name(group.posyandu))
            posyandu._history_user = user  # type: ignore[attr-defined]
            posyandu.save()
            reachable[posyandu.pk] = posyandu
            choice = str(posyandu.pk)
        if not choice.isdigit() or int(choice) not in reachable:
            errors += [(n, f"{label}: pilih Posyandu tujuan (atau \"lewati\").") for n in group.row_numbers]
            continue
        posyandu = reachable[int(choice)]
        PosyanduAlias.objects.update_or_create(source_key=group.key, defaults={
            "source_village": group.village[:150], "source_posyandu": group.posyandu[:150], "posyandu": posyandu,
            "confirmed_by": user})
        parts.setdefault(posyandu.pk, (posyandu, []))[1].extend(group.indexes)
    return [(p, sorted(ix)) for p, ix in parts.values()], errors, warnings


def _new_name(text: str) -> str:
    name = " ".join(text.split())[:140] or "Baru"
    return name if name.lower().startswith("posyandu") else f"Posyandu {name}"


def run_import(run: ImportRun, choices: dict[str, str], user: Any, *, dry_run: bool = False,
               progress: Any = None) -> engine.ImportResult:
    """Import the run's file with the confirmed mapping; the outcome is stored on the run."""
    if run.user_id != user.pk:
        raise PermissionDenied("Impor ini milik pengguna lain.")
    result = engine.ImportResult(dry_run=dry_run)
    loaded = engine.load_sheet(stored_file(run), result)
    if loaded is None:
        _finish(run, result, RunStatus.REFUSED, choices)
        return result
    sheet, columns = loaded
    groups = group_rows(sheet, columns)
    propose(groups, user)
    parts, errors, skipped = _apply_choices(run, groups, choices, user)
    result.warnings += skipped
    if errors:
        result.errors = sorted(errors)
        _finish(run, result, RunStatus.REFUSED, choices, groups)
        return result
    result = engine.import_parts(sheet=sheet, columns=columns, parts=parts, acting_user=user, dry_run=dry_run,
                                 result=result, progress=progress)
    if result.written:
        from apps.imports.reconciliation import reconcile

        run.reconciliation = reconcile(result)
    status = RunStatus.REFUSED if result.errors else RunStatus.CHECKED if dry_run else RunStatus.DONE
    _finish(run, result, status, choices, groups)
    return result


def _finish(run: ImportRun, result: engine.ImportResult, status: str, choices: dict[str, str],
            groups: list[Group] | None = None) -> None:
    run.status = status
    run.mapping = choices
    if groups is not None:
        run.groups = [g.stored() for g in groups]
    run.summary = result.summary_lines(max_messages=0)
    run.errors = [list(e) for e in result.errors]
    run.warnings = [list(w) for w in result.warnings]
    run.duplicates = [list(d) for d in result.possible_duplicates]
    run.finished_at = timezone.now()
    run.save()
