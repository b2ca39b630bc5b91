"""Reading data·inclusion files record by record, in constant memory.

Three layouts: JSON Lines (one record a line, the national export's), a JSON array, and the
data·inclusion spreadsheet model (« modèle de saisie ») saved as CSV, separated by `,` or by `;`
(French spreadsheet software), whichever the header reads with. Each may start with a UTF-8 BOM.
A problem with one record (a malformed line, an oversized cell) is reported at its position and
reading goes on; a problem that stops reading (the file is not UTF-8, a JSON array is cut short,
a CSV header without any field of the schema) raises `ImportFileError`.
"""

import codecs
import csv
import json
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson

MAX_RECORD_MB = 1
MAX_RECORD_BYTES = MAX_RECORD_MB * 1_000_000
READ_CHUNK_BYTES = 1 << 20
# The spreadsheet model's bookkeeping columns: the row number, and the description/example rows.
ROW_NUMBER_COLUMN = "excel_line"
IGNORE_COLUMN = "__ignore__"
EXCEL_DATES = range(36526, 73051)  # a header Excel turned into a date: 2000-01-01 to 2099-12-31
CSV_DELIMITERS = (",", ";")


class ImportFileError(Exception):
    """Reading cannot go on: what was read before stays imported, nothing after is."""


@dataclass(frozen=True)
class Item:
    """One record read, or why it could not be read."""

    position: str
    record: dict | None = None
    error: str = ""
    field: str = "enregistrement"


@dataclass
class RecordFile:
    path: Path
    fields: dict  # the schema's fields (pydantic model_fields), for the spreadsheet layout
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Item]:
        check_utf8(self.path)
        if self.path.suffix.lower() == ".csv":
            return self._spreadsheet()
        with self.path.open("rb") as handle:
            starts_with_array = _first_byte(handle) == b"["
        return self._json_array() if starts_with_array else self._json_lines()

    def _json_lines(self):
        with self.path.open("rb") as handle:
            for number, line in enumerate(_lines(handle), start=1):
                position = f"ligne {number}"
                if line is None:
                    yield Item(position, error=f"ligne de plus de {MAX_RECORD_MB} Mo : ignorée")
                elif line.strip():
                    yield _parse_line(position, line)

    def _json_array(self):
        number = 0
        with self.path.open("rb") as handle:
            if handle.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
                handle.seek(0)
            try:
                for number, record in enumerate(ijson.items(handle, "item", use_float=True), 1):
                    yield Item(f"enregistrement {number}", record)
            except ijson.JSONError as error:
                raise ImportFileError(
                    f"JSON incomplet ou mal formé après l'enregistrement {number} ({error}) : "
                    "la suite du fichier n'est pas lue."
                ) from error

    def _spreadsheet(self):
        list_fields = {name for name, spec in self.fields.items() if _is_list(spec.annotation)}
        delimiter = self._delimiter()
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle, delimiter=delimiter)
            try:
                header = next(rows, [])
            except csv.Error as error:
                raise ImportFileError(f"En-tête du CSV illisible ({error}).") from error
            columns = self._columns(header)
            for number, row in enumerate(_csv_rows(rows), start=2):
                if isinstance(row, csv.Error):
                    yield Item(f"ligne {number}", error=_csv_error(row))
                    continue
                cells = dict(zip(header, row, strict=False))
                if cells.get(IGNORE_COLUMN, "").strip() == "1":
                    continue
                position = f"ligne {cells.get(ROW_NUMBER_COLUMN) or number}"
                yield _spreadsheet_item(position, row, columns, list_fields)

    def _delimiter(self):
        """The separator with which the header names the most fields of the schema."""
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            first_line = handle.readline(MAX_RECORD_BYTES)
        known = {
            delimiter: sum(
                cell.strip() in self.fields
                for cell in next(csv.reader([first_line], delimiter=delimiter), [])
            )
            for delimiter in CSV_DELIMITERS
        }
        delimiter = max(CSV_DELIMITERS, key=known.get)
        if not known[delimiter]:
            raise ImportFileError(
                "La première ligne du CSV ne nomme aucun champ du schéma data·inclusion, avec la "
                "virgule ou le point-virgule comme séparateur : enregistrez le fichier en CSV "
                "(séparateur « , » ou « ; ») avec la ligne d'en-tête du modèle de saisie. Rien "
                "n'a été importé."
            )
        return delimiter

    def _columns(self, header):
        """{field: [column indexes]} for the schema's fields; a warning for any other column."""
        columns = {}
        for index, name in enumerate(header):
            name = name.strip()
            if name in self.fields:
                columns.setdefault(name, []).append(index)
            elif name.isdigit() and EXCEL_DATES.start <= int(name) < EXCEL_DATES.stop:
                self.warnings.append(
                    f"Colonne « {name} » ignorée : c'est une date Excel, pas un nom de champ "
                    "(« date_maj » ?)."
                )
            elif name not in {ROW_NUMBER_COLUMN, IGNORE_COLUMN}:
                self.warnings.append(f"Colonne « {name} » inconnue du schéma : ignorée.")
        for name, indexes in columns.items():
            if len(indexes) > 1:
                self.warnings.append(
                    f"Colonne « {name} » présente {len(indexes)} fois : une seule valeur non vide "
                    "est acceptée."
                )
        return columns


def check_utf8(path):
    """Reads the whole file once: a file that is not UTF-8 is refused before anything is imported."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    f"Le fichier n'est pas encodé en UTF-8 (octet {chunk[error.start]:#x} à la "
                    f"position {offset + error.start}) : réenregistrez-le en UTF-8. Rien n'a été "
                    "importé."
                ) from error
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "Le fichier se termine au milieu d'un caractère : il est tronqué ou n'est pas en "
                "UTF-8. Rien n'a été importé."
            ) from error


def _first_byte(handle):
    while chunk := handle.read(4096):
        stripped = chunk.removeprefix(codecs.BOM_UTF8).lstrip()
        if stripped:
            return stripped[:1]
    return b""


def _lines(handle):
    """Each line as bytes, or None for a line too long to read (skipped without loading it)."""
    while line := handle.readline(MAX_RECORD_BYTES + 1):
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(READ_CHUNK_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _parse_line(position, line):
    try:
        return Item(position, json.loads(line.decode("utf-8-sig")))
    except json.JSONDecodeError as error:
        cut = "" if line.endswith(b"\n") else " (dernière ligne incomplète : fichier tronqué ?)"
        return Item(position, error=f"JSON mal formé ({error}){cut}")


def _csv_rows(rows):
    """The rows of a csv.reader, a row it cannot read (an oversized cell…) as its csv.Error:
    the reader goes on with the next line."""
    while True:
        try:
            yield next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            yield error


def _csv_error(error):
    if str(error).startswith("field larger than field limit"):
        return f"cellule de plus de {csv.field_size_limit()} caractères : ligne ignorée"
    return f"CSV illisible ({error}) : ligne ignorée"


def _is_list(annotation):
    return typing.get_origin(annotation) in {list, set} or any(
        _is_list(argument) for argument in typing.get_args(annotation)
    )


def _spreadsheet_item(position, row, columns, list_fields):
    record = {}
    for name, indexes in columns.items():
        values = {row[i].strip() for i in indexes if i < len(row) and row[i].strip()}
        if len(values) > 1:
            return Item(
                position, error="valeurs différentes dans les colonnes en double", field=name
            )
        if values:
            value = values.pop()
            record[name] = _split(value) if name in list_fields else value
    return Item(position, record)


def _split(value):
    return [part.strip() for part in value.split(",") if part.strip()]
