"""Attachments are checked by their content, not by their name, before anything opens them.

Office documents (ODT, DOCX) are zip archives: they are judged by what their directory says
they would expand to — number of entries, uncompressed size, compression ratio — and refused
before any entry is decompressed (a 300 KB « zip bomb » expands to 300 MB). Only the first
bytes of one entry are ever read. Every refusal names the file and says what to do, in French.
Files are stored under a name of our own (`storage_name`): the name the user gave is kept for
display only, so its length, dots or characters never matter.
"""

import uuid
import zipfile

from django.core.exceptions import ValidationError

MAX_FILES = 3
MAX_MB = 5
MAX_BYTES = MAX_MB * 1024 * 1024
# An office document of 5 MB holds a few hundred entries, mostly XML compressed 5 to 20 times;
# a zip bomb compresses a thousand times.
MAX_ENTRIES = 1000
MAX_EXPANDED_MB = 50
MAX_EXPANDED_BYTES = MAX_EXPANDED_MB * 1024 * 1024
MAX_RATIO = 100
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# content type → (extension it is stored with, name for the user)
FORMATS = {
    "application/pdf": (".pdf", "PDF"),
    "image/jpeg": (".jpg", "JPEG"),
    "image/png": (".png", "PNG"),
    ODT: (".odt", "ODT"),
    DOCX: (".docx", "DOCX"),
}
END_OF_DIRECTORY = b"PK\x05\x06"  # the zip's last record: 22 bytes and a comment (< 64 KiB)
END_OF_DIRECTORY_MAX = 22 + 0xFFFF
AGAIN = "puis joignez-le à nouveau"


class UnsafeArchive(Exception):
    """The archive would expand beyond our limits."""


def _declared_entries(uploaded):
    """The number of entries the zip's end record declares (0xFFFF for a zip64: too many), read
    from the file's tail before the directory itself is parsed; None if there is no end record."""
    size = uploaded.seek(0, 2)
    uploaded.seek(max(0, size - END_OF_DIRECTORY_MAX))
    tail = uploaded.read()
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) < at + 22:
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _check_expansion(entries):
    """Raises UnsafeArchive if the entries (ZipInfo) would expand too much."""
    if sum(entry.file_size for entry in entries) > MAX_EXPANDED_BYTES:
        raise UnsafeArchive
    for entry in entries:
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise UnsafeArchive


def _zip_kind(uploaded):
    """ODT, DOCX, or None for another archive or a broken one; raises UnsafeArchive."""
    entries = _declared_entries(uploaded)
    if entries is None:
        return None
    if entries > MAX_ENTRIES:
        raise UnsafeArchive
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            _check_expansion(infos)
            names = {info.filename for info in infos}
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    return ODT if entry.read(len(ODT) + 2).strip() == ODT.encode() else None
            if {"[Content_Types].xml", "word/document.xml"} <= names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
        return None
    return None


def content_type(uploaded):
    """The real type of an uploaded file among those accepted, or None; raises UnsafeArchive
    for an office document that would expand too much."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            return _zip_kind(uploaded)
        finally:
            uploaded.seek(0)
    return None


def formats_label(kinds):
    """« PDF, JPEG ou PNG »."""
    labels = [FORMATS[kind][1] for kind in kinds]
    return " ou ".join(filter(None, [", ".join(labels[:-1]), labels[-1]]))


ACCEPTED = formats_label(FORMATS)


def checked_type(uploaded, accepted=tuple(FORMATS)):
    """The content type of one uploaded file among `accepted`; raises ValidationError (in
    French: what is wrong with which file, and what to do)."""
    name = uploaded.name
    if uploaded.size > MAX_BYTES:
        raise ValidationError(f"« {name} » dépasse {MAX_MB} Mo : enregistrez-le en PDF ou en "
                              f"image moins lourde, {AGAIN}.")  # fmt: skip
    try:
        kind = content_type(uploaded)
    except UnsafeArchive:
        raise ValidationError(
            f"« {name} » occuperait plus de {MAX_EXPANDED_MB} Mo une fois ouvert : enregistrez-le "
            f"en PDF, {AGAIN}."
        ) from None
    if kind not in accepted:
        raise ValidationError(f"« {name} » n'est pas un fichier {formats_label(accepted)} valide : "
                              "enregistrez-le "
                              f"dans l'un de ces formats, {AGAIN}.")  # fmt: skip
    return kind


def check(files):
    """Raises ValidationError (in French, one message per bad file) unless every file is fine;
    returns [(file, content type)]."""
    if len(files) > MAX_FILES:
        raise ValidationError(f"{MAX_FILES} pièces jointes au plus.")
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append((uploaded, checked_type(uploaded)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def storage_name(kind):
    """The name a file is stored under: random, with the extension of its real type."""
    return f"{uuid.uuid4().hex}{FORMATS[kind][0]}"
