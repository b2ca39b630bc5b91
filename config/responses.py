"""Files the portal hands out: CSV exports (for spreadsheets) and PDF printables."""

import csv

from django.http import HttpResponse


def csv_response(filename, header, rows):
    """`;`-separated UTF-8 with a BOM: what French spreadsheet software opens correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response


def pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
