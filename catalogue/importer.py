"""Import of data·inclusion v1 structures and services (JSON array or JSON Lines).

Every record is validated with the official pydantic models, then against our reference
geography; a bad record is rejected whole with one report line per problem, the others import.
Records are upserted by their data·inclusion `id`: importing again updates, never duplicates.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

import pydantic
from data_inclusion.schema import v1

from catalogue.models import Service, Structure
from catalogue.signals import offer_imported
from catalogue.validation import lieu_errors
from territoires import geocoding

BATCH_SIZE = 1000

LIEU_FIELDS = ["adresse", "complement_adresse", "code_postal", "code_insee", "commune"]
STRUCTURE_TEXT_FIELDS = [
    "nom", "description", "siret", "telephone", "courriel", "site_web", "lien_source",
    "horaires_accueil", "accessibilite_lieu", *LIEU_FIELDS,
]  # fmt: skip
SERVICE_TEXT_FIELDS = [
    "nom", "description", "type", "frais", "frais_precisions", "publics_precisions",
    "conditions_acces", "telephone", "courriel", "contact_nom_prenom", "lien_mobilisation",
    "mobilisation_precisions", "horaires_accueil", "lien_source", *LIEU_FIELDS,
]  # fmt: skip
SERVICE_LIST_FIELDS = [
    "thematiques", "publics", "modes_accueil", "zone_eligibilite", "modes_mobilisation",
    "mobilisable_par",
]  # fmt: skip
SERVICE_NUMBER_FIELDS = ["latitude", "longitude", "volume_horaire_hebdomadaire", "nombre_semaines"]


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing was imported from it."""


@dataclass
class Rejection:
    file: str
    index: int
    id: str
    field: str
    message: str

    def __str__(self):
        return f"{self.file} : enregistrement {self.index} (id={self.id or '?'}) : {self.field} : {self.message}"


@dataclass
class Report:
    imported: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected_records(self):
        return len({(r.file, r.index) for r in self.rejections})


def read_records(path: Path):
    """Yields (index, record or the parse error message) from a JSON array or JSON Lines file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{path} : lecture impossible ({error}).") from error
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(f"{path} : JSON mal formé ({error}).") from error
        yield from enumerate(records)
        return
    for index, line in enumerate(line for line in text.splitlines() if line.strip()):
        try:
            yield index, json.loads(line)
        except json.JSONDecodeError as error:
            yield index, f"JSON mal formé ({error})"


def _text(value):
    if value is None:
        return ""
    return str(value)


def _slugs(values):
    return sorted(str(getattr(v, "value", v)) for v in values or [])


def _schema_errors(schema, record):
    if not isinstance(record, dict):
        return None, {"enregistrement": "un objet JSON est attendu"}
    try:
        return schema.model_validate(record), {}
    except pydantic.ValidationError as error:
        return None, {
            ".".join(str(part) for part in e["loc"]) or "enregistrement": e["msg"]
            for e in error.errors()
        }


def _model_errors(instance):
    """Our own rules on top of the schema: reference geography, field lengths, SIRET key…"""
    errors = lieu_errors(
        instance.code_insee, instance.code_postal, instance.latitude, instance.longitude
    )
    try:
        instance.clean_fields(exclude={"structure", "structure_parente"})
    except ValidationError as error:
        errors |= {name: " ".join(messages) for name, messages in error.message_dict.items()}
    return errors


def _with_position(values):
    """Coordinates given are kept as the address's; missing ones come from the geocoder."""
    if values["latitude"] is not None:
        values["precision"] = geocoding.ADRESSE
        return values
    found = geocoding.locate(
        values["adresse"], values["code_postal"], values["code_insee"], values["commune"]
    )
    if found:
        values.update(latitude=found.latitude, longitude=found.longitude, precision=found.precision)
    return values


def _structure_from(data: v1.Structure):
    values = {name: _text(getattr(data, name)) for name in STRUCTURE_TEXT_FIELDS}
    values.update(
        source=data.source,
        identifiant=data.id,
        date_maj=data.date_maj,
        latitude=data.latitude,
        longitude=data.longitude,
        reseaux_porteurs=_slugs(data.reseaux_porteurs),
    )
    structure = Structure(**_with_position(values))
    return structure, _model_errors(structure)


def _service_from(data: v1.Service, structure_pks):
    values = {name: _text(getattr(data, name)) for name in SERVICE_TEXT_FIELDS}
    values |= {name: getattr(data, name) for name in SERVICE_NUMBER_FIELDS}
    values |= {name: _slugs(getattr(data, name)) for name in SERVICE_LIST_FIELDS}
    values["type"] = _text(data.type and data.type.value)
    values["frais"] = _text(data.frais and data.frais.value)
    values.update(
        source=data.source,
        identifiant=data.id,
        date_maj=data.date_maj,
        structure_id=structure_pks.get(data.structure_id),
        statut=Service.Statut.PUBLIE,
    )
    service = Service(**_with_position(values))
    errors = _model_errors(service)
    if service.structure_id is None:
        errors["structure_id"] = f"structure inconnue : {data.structure_id}"
    return service, errors


def _updatable_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in {"identifiant", "cree_le", "est_publiee", "contact_public"}
    ]


@transaction.atomic
def _save(batch):
    objects = list(batch.values())
    model = type(objects[0])
    model.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["identifiant"],
        update_fields=_updatable_fields(model),
    )
    offer_imported.send(sender=model, identifiants=list(batch))
    return len(objects)


def _import(path, schema, build, report, progress):
    """Validates every record, then saves the valid ones by batches (the last one of an id wins)."""
    batch = {}
    name = str(path)
    for index, record in progress(read_records(path), desc=Path(name).name):
        if isinstance(record, str):
            report.rejections.append(Rejection(name, index, "", "enregistrement", record))
            continue
        record_id = record.get("id", "") if isinstance(record, dict) else ""
        data, errors = _schema_errors(schema, record)
        if data is not None:
            instance, errors = build(data)
        for field_name, message in errors.items():
            report.rejections.append(Rejection(name, index, record_id, field_name, message))
        if errors:
            continue
        batch[instance.identifiant] = instance
        if len(batch) >= BATCH_SIZE:
            report.imported += _save(batch)
            batch = {}
    if batch:
        report.imported += _save(batch)


def _no_progress(iterable: Iterable, **kwargs):
    return iterable


def import_structures(path, progress=_no_progress):
    report = Report()
    _import(Path(path), v1.Structure, _structure_from, report, progress)
    return report


def import_services(path, progress=_no_progress):
    report = Report()
    structure_pks = dict(Structure.objects.values_list("identifiant", "pk"))
    _import(
        Path(path), v1.Service, lambda data: _service_from(data, structure_pks), report, progress
    )
    return report
