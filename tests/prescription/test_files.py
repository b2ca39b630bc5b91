"""Attachments are recognised by their content; office documents (zip archives) are judged by
what they would expand to before anything expands them."""

import tracemalloc

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from prescription import files
from tests.prescription.conftest import archive, zip_bomb

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


@pytest.fixture(scope="module", params=["mimetype", "content.xml"])
def bomb(request):
    return zip_bomb(request.param)


def test_a_zip_bomb_is_refused_without_being_expanded(bomb):
    assert len(bomb) < 400_000
    uploaded = SimpleUploadedFile("lettre.odt", bomb)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            files.check([uploaded])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    assert refused.value.messages == [
        "« lettre.odt » occuperait plus de 50 Mo une fois ouvert : enregistrez-le en PDF, puis "
        "joignez-le à nouveau."
    ]


@pytest.mark.parametrize(
    "entries",
    [
        {"mimetype": "application/vnd.oasis.opendocument.text"}
        | {f"Pictures/{n}.png": "" for n in range(1001)},
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": " " * 10_000_000},
    ],
    ids=["too-many-entries", "compressed-too-well"],
)
def test_an_office_document_expanding_too_much_is_refused(entries):
    with pytest.raises(ValidationError, match="une fois ouvert"):
        files.check([SimpleUploadedFile("lettre.odt", archive(entries))])


def test_an_ordinary_office_document_passes():
    text = "".join(f"<p>Paragraphe {n} de la lettre de motivation.</p>" for n in range(2000))
    document = archive({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": text})
    kind = "application/vnd.oasis.opendocument.text"
    assert files.check([SimpleUploadedFile("lettre.odt", document)])[0][1] == kind
