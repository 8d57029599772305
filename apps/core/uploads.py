"""Checking an uploaded file before it is stored: not empty, not too large, of an accepted type,
and its bytes of that type (a renamed executable is refused as well as a wrong extension).

One checker for every upload (library PDFs, follow-up evidence); each caller names the types it
accepts and its size limit. Messages are Indonesian and name what is accepted.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

# Each extension with the bytes its files start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
}


def types(*extensions: str) -> dict[str, tuple[bytes, ...]]:
    """The signatures of these extensions, for `check_upload(types=...)`."""
    return {ext: SIGNATURES[ext] for ext in extensions}


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f}".replace(".", ",")


def check_upload(upload: Any, *, accepted: Mapping[str, tuple[bytes, ...]], max_bytes: int) -> None:
    """Raise ValidationError (one Indonesian message) unless `upload` may be stored."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in accepted:
        allowed = ", ".join(f".{e}" for e in sorted(accepted))
        raise ValidationError(f"Jenis berkas .{ext or '?'} tidak diterima. Gunakan salah satu: {allowed}.")
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationError("Berkas kosong.")
    if size > max_bytes:
        raise ValidationError(f"Ukuran berkas {_megabytes(size)} MB melebihi batas {max_bytes // 1048576} MB.")
    handle = getattr(upload, "file", upload)
    try:
        position = handle.tell()
        handle.seek(0)
        head = handle.read(16)
        handle.seek(position)
    except (AttributeError, OSError, ValueError):  # a stored file that cannot be reopened: nothing to read
        return
    if not any(head.startswith(magic) for magic in accepted[ext]):
        raise ValidationError(f"Isi berkas bukan berkas .{ext} yang sah.")


__all__ = ["SIGNATURES", "check_upload", "types"]
