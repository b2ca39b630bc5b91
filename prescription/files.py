"""Attachments are checked by their content, not by their name."""

import zipfile

from django.core.exceptions import ValidationError

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ACCEPTED = "PDF, JPEG, PNG, ODT ou DOCX"


def _zip_kind(uploaded):
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "application/vnd.oasis.opendocument.text"
            if {"[Content_Types].xml", "word/document.xml"} <= names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def content_type(uploaded):
    """The real type of an uploaded file among those accepted, or None."""
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
        return _zip_kind(uploaded)
    return None


def check(files):
    """Raises ValidationError (in French, one message per bad file) unless every file is fine;
    returns [(file, content type)]."""
    if len(files) > MAX_FILES:
        raise ValidationError(f"{MAX_FILES} pièces jointes au plus.")
    checked, errors = [], []
    for uploaded in files:
        kind = content_type(uploaded)
        if uploaded.size > MAX_BYTES:
            errors.append(f"« {uploaded.name} » dépasse 5 Mo.")
        elif kind is None:
            errors.append(f"« {uploaded.name} » n'est pas un fichier {ACCEPTED} valide.")
        else:
            checked.append((uploaded, kind))
    if errors:
        raise ValidationError(errors)
    return checked
