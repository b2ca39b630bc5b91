"""Files the portal hands out: CSV exports (for spreadsheets) and PDF printables.

Every CSV the portal writes — its own exports and the Wagtail admin's (reports, redirects, form
submissions) — goes through `csv_chunks`: `;`-separated UTF-8 with a BOM, what French
spreadsheet software opens correctly, and no cell a spreadsheet would run as a formula.
"""

import csv

from django.http import HttpResponse, StreamingHttpResponse

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, strips them and reads what follows): OWASP « CSV Injection ».
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
BOM = "\ufeff"


def neutralise(value):
    """A text cell starting like a formula gets a leading `'`, which spreadsheets show as text;
    numbers and empty cells are left as they are (a negative number stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """The file-like object `csv.writer` writes one line to: the line is returned."""

    def write(self, text):
        return text


def csv_chunks(header, rows):
    """The file as text chunks: the BOM, the header, then one line per row (rows: iterables of
    cells; None is an empty cell)."""
    writer = csv.writer(_Line(), delimiter=CSV_DELIMITER)
    yield BOM
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.writelines(csv_chunks(header, rows))
    return response


def _wagtail_csv_response(view, queryset):
    """Wagtail's `SpreadsheetExportMixin.write_csv_response`, through our writer."""
    fields = view.list_export
    header = [view.get_heading(queryset, name) for name in fields]
    rows = (
        [
            view.preprocess_field_value(name, value, view.FORMAT_CSV)
            for name, value in view.to_row_dict(item).items()
        ]
        for item in queryset
    )
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in csv_chunks(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{view.get_filename()}.csv"'
    return response


def protect_wagtail_exports():
    """Makes the Wagtail admin's CSV exports (audit log, reports, redirects, form submissions)
    use our writer. Called once, when the apps are ready."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    SpreadsheetExportMixin.write_csv_response = _wagtail_csv_response


def pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
