import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.services.files import check_upload

from .factories import PDF_BYTES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def ooxml(prefix):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}document.xml", "<x/>")
    return buffer.getvalue()


def odf(mimetype):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name,content,mime", [
    ("report.pdf", PDF_BYTES, "application/pdf"),
    ("chart.PNG", PNG, "image/png"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("plan.docx", ooxml("word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("data.xlsx", ooxml("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("deck.pptx", ooxml("ppt/"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("plan.odt", odf("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "application/msword"),
    ("counts.csv", "district,calls\nNorte,12\nSão Paulo,3\n".encode(), "text/csv"),
])
def test_allowed_files_pass(name, content, mime):
    assert check_upload(SimpleUploadedFile(name, content)) == mime


@pytest.mark.parametrize("name,content,code", [
    ("tool.exe", b"MZ\x90\x00", "type"),
    ("page.html", b"<html></html>", "type"),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "content"),
    ("fake.png", PDF_BYTES, "content"),
    ("fake.docx", ooxml("xl/"), "content"),
    ("zip.xlsx", b"PK\x03\x04 broken", "content"),
    ("binary.csv", b"a,b\x00\x01\x02", "content"),
    ("empty.pdf", b"", "empty"),
])
def test_wrong_types_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as raised:
        check_upload(SimpleUploadedFile(name, content))
    assert raised.value.code == code
    assert name in raised.value.messages[0]


def test_size_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as raised:
        check_upload(SimpleUploadedFile("report.pdf", PDF_BYTES))
    assert raised.value.code == "too_big"
    assert "at most 10" in raised.value.messages[0]
