"""Attachments are recognised by their content."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from prescription import files


def archive(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, content in entries.items():
            zipped.writestr(name, content)
    return buffer.getvalue()


ODT = archive({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
DOCX = archive({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("cv.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        ("scan.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("lettre.odt", ODT, "application/vnd.oasis.opendocument.text"),
        (
            "lettre.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.png", b"%PDF-1.4", "application/pdf"),  # the content decides, not the name
        ("lettre.docx", archive({"autre.txt": "x"}), None),  # a zip, not a document
        ("ods.odt", archive({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), None),
        ("script.pdf", b"#!/bin/sh\nrm -rf /", None),
        ("vide.pdf", b"", None),
        ("broken.docx", b"PK\x03\x04 not really a zip", None),
    ],
)
def test_content_type_is_read_from_the_bytes(name, content, expected):
    assert files.content_type(SimpleUploadedFile(name, content)) == expected
