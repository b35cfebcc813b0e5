"""Checks on uploaded evidence files: the name's extension AND the content must agree on an
allowed type, and the size must be within settings.UPLOAD_MAX_BYTES.

Content is recognised from the file's first bytes (and, for zip-based office formats, from the
archive's member names), so a renamed executable is refused even with a .pdf name."""

import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension → (content family, MIME type sent on download)
ALLOWED = {
    ".pdf": ("pdf", "application/pdf"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".gif": ("gif", "image/gif"),
    ".webp": ("webp", "image/webp"),
    ".docx": ("ooxml:word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("ooxml:xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ooxml:ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".odt": ("odf:application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text"),
    ".ods": ("odf:application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": ("odf:application/vnd.oasis.opendocument.presentation", "application/vnd.oasis.opendocument.presentation"),
    ".doc": ("ole", "application/msword"),
    ".xls": ("ole", "application/vnd.ms-excel"),
    ".ppt": ("ole", "application/vnd.ms-powerpoint"),
    ".csv": ("csv", "text/csv"),
}
ALLOWED_LABEL = "PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint, OpenDocument, CSV"


def _head(upload, size=8192):
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_names(upload):
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
        return names, mimetype
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None, ""
    finally:
        upload.seek(0)


def _looks_like_csv(head):
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # only a multi-byte character cut at the end is forgiven
            try:
                text = head.decode("latin-1")
            except UnicodeDecodeError:
                return False
        else:
            text = head[: exc.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * max(len(text), 1)


def content_matches(family, upload):
    head = _head(upload)
    if family == "pdf":
        return head.startswith(b"%PDF-")
    if family == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if family == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if family == "gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if family == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if family == "ole":
        return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if family == "csv":
        return _looks_like_csv(head)
    if family.startswith(("ooxml:", "odf:")):
        if not head.startswith(b"PK\x03\x04"):
            return False
        names, mimetype = _zip_names(upload)
        if names is None:
            return False
        kind, expected = family.split(":", 1)
        if kind == "ooxml":
            return "[Content_Types].xml" in names and any(n.startswith(expected) for n in names)
        return mimetype == expected
    return False


def check_upload(upload):
    """Return the MIME type to store for an acceptable upload, or raise ValidationError with a
    message for the person who chose the file."""
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if ext not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept. Allowed: %(types)s.") % {"name": name, "types": ALLOWED_LABEL},
            code="type",
        )
    family, mime = ALLOWED[ext]
    if not content_matches(family, upload):
        raise ValidationError(
            _("“%(name)s” does not contain what its name says (%(ext)s). Save it again in that format, or choose "
              "another file.")
            % {"name": name, "ext": ext},
            code="content",
        )
    return mime
