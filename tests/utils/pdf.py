"""Reading back what a PDF of the portal prints."""

import io

from pypdf import PdfReader


def pdf_text(content):
    """The PDF's text (bytes in, str out), each run of spaces and line breaks as one space
    (lines wrap)."""
    assert content.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)
