"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): an import run of the
outsider (Kabupaten Rejang Lebong, 17.02), which every other persona must get as a 404."""
from __future__ import annotations

from typing import Any

CSV = b"nama,jk,tgl_lahir,desa_kel,posyandu\nANAK REJANG LEBONG,L,01-01-2024,-,-\n"


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from apps.accounts.models import User
    from apps.imports.models import ImportRun

    outsider = User.objects.get(username="kab.rejanglebong")
    run = ImportRun.objects.filter(user=outsider, filename="rejang-lebong.csv").first()
    if run is None or not run.file.storage.exists(run.file.name):
        run = run or ImportRun(user=outsider, filename="rejang-lebong.csv", rows=1,
                               errors=[[2, "Rejang Lebong: contoh kesalahan"]])
        run.file.save("rejang-lebong.csv", ContentFile(CSV), save=True)
    return {"import_run": run}


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    from apps.imports.models import ImportRun

    return {ImportRun: objs["import_run"]}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    return {}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    return {}
