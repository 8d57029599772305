"""The one upload checker: type by name and by bytes, empty, size limit; Indonesian messages."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.uploads import check_upload, types

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ACCEPTED = types("pdf", "png")


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("foto.exe", PNG), "Jenis berkas .exe tidak diterima. Gunakan salah satu: .pdf, .png."),
    (SimpleUploadedFile("tanpa-nama", PNG), "Jenis berkas .? tidak diterima"),
    (SimpleUploadedFile("kosong.png", b""), "Berkas kosong."),
    (SimpleUploadedFile("program.png", b"MZ\x90\x00" + b"\x00" * 32), "Isi berkas bukan berkas .png yang sah."),
    (SimpleUploadedFile("surat.pdf", b"%PDF" + b"\x00" * 32), "Isi berkas bukan berkas .pdf yang sah."),
    (SimpleUploadedFile("besar.png", PNG + b"\x00" * 1048576), "Ukuran berkas 1,0 MB melebihi batas 1 MB."),
])
def test_refused_uploads_say_why(upload, message):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload, accepted=ACCEPTED, max_bytes=1048576)
    assert exc.value.messages[0].startswith(message)


def test_an_accepted_upload_is_left_ready_to_store():
    upload = SimpleUploadedFile("Foto.PNG", PNG)
    upload.read(3)
    check_upload(upload, accepted=ACCEPTED, max_bytes=1048576)
    assert upload.tell() == 3  # the position is put back: the storage reads from where it was
