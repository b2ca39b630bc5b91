"""Import of data·inclusion v1 structures and services, at national scale.

The file is read record by record (`catalogue.import_files`) and written by batches, each batch
in one transaction with its search-index changes: memory stays flat, and a run stopped midway
leaves every record either as it was or as imported — running it again is safe.
Each record is validated with the official pydantic models (warnings included), then against
our reference geography and field rules; a bad record is rejected whole with one line per
problem naming the field, the others import. Records are upserted by their data·inclusion `id`;
a record identical to the one imported last time (same checksum) is skipped. With
`full_export`, the file is its sources' whole offer: their records missing from it are
suspended (never deleted), provided every line of the file could be read and no more than a
share of a source would go (unless `force`). What a record may change — its own source's
records only, never the fields the portal owns — is in `catalogue.import_rules`.
Every run leaves a `RapportImport`.
"""

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import pydantic
from data_inclusion.schema import v1

from catalogue import import_rules
from catalogue.import_files import ImportFileError, RecordFile
from catalogue.import_rules import HIDDEN, PORTAL_FIELDS, VISIBLE, WITHDRAWN
from catalogue.models import RapportImport, Service, Structure
from catalogue.signals import offer_imported
from catalogue.validation import current_codes, lieu_errors
from territoires import geocoding
from territoires import services as territoires

BATCH_SIZE = 1000
COG_FRANCE = "99100"  # France in the COG's list of countries
MAX_DETAILED_REJECTIONS = 1000

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
# Our model's field checks that the schema already made (URL and e-mail formats), and relations.
CHECKED_BY_SCHEMA = {
    "courriel", "site_web", "lien_source", "accessibilite_lieu", "lien_mobilisation",
    "structure", "structure_parente",
}  # fmt: skip
# Warnings of the data·inclusion models (a name ending with a full stop…) reject the record too.
SCHEMA_CONTEXT = {"ignore_warnings": False}
MAX_LISTED_IDS = 10
SCHEMA_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "string_too_short": "trop court (au moins {min_length} caractères)",
    "string_too_long": "trop long (au plus {max_length} caractères)",
    "enum": "valeur inconnue « {input} » : voir le référentiel data·inclusion",
    "literal_error": "valeur inconnue « {input} » : voir le référentiel data·inclusion",
    "url_parsing": "URL invalide « {input} »",
    "url_scheme": "URL invalide « {input} » (http ou https attendu)",
    "float_parsing": "nombre attendu, reçu « {input} »",
    "int_parsing": "nombre entier attendu, reçu « {input} »",
    "int_from_float": "nombre entier attendu, reçu « {input} »",
    "date_parsing": "date attendue au format AAAA-MM-JJ, reçu « {input} »",
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ, reçu « {input} »",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "list_type": "liste attendue",
    "string_type": "texte attendu",
}


def import_structures(path, **options):
    """Options: `source` for records without one, `full_export`, `force` (suspend beyond the
    share allowed), `progress` (a tqdm-like)."""
    return _Run(Path(path), "structures", **options).execute()


def import_services(path, **options):
    return _Run(Path(path), "services", **options).execute()


def _no_progress(iterable: Iterable, **kwargs):
    return iterable


class _Run:
    def __init__(
        self, path, nature, source=None, full_export=False, force=False, progress=_no_progress
    ):
        self.nature = nature
        self.model, self.schema, _ = KINDS[nature]
        self.default_source = source
        self.force = force
        self.progress = progress
        self.file = RecordFile(path, self.schema.model_fields)
        self.report = RapportImport.objects.create(
            fichier=str(path), nature=nature, export_complet=full_export
        )
        self.seen = {}  # id → its position in the file
        self.sources = set()
        self.unreadable = 0
        self.at_structure = []  # services on site without an address of their own
        self.dropped = []  # « id : field : message » of the invalid values left out

    def execute(self):
        try:
            self._read()
        except ImportFileError as error:
            self._finish(RapportImport.Etat.INCOMPLET if self.seen else RapportImport.Etat.ECHEC,
                         str(error))  # fmt: skip
        except BaseException as error:
            self._finish(RapportImport.Etat.ECHEC, f"Arrêt inattendu : {error!r}")
            raise
        else:
            self._suspend_missing()
            self._finish(RapportImport.Etat.TERMINE)
        return self.report

    def _read(self):
        batch = []
        try:
            for item in self.progress(self.file, desc=self.file.path.name):
                if item.error:
                    self.unreadable += 1
                    self._reject(item.position, "", {item.field: item.error})
                elif (record := self._checked(item)) is not None:
                    batch.append((item.position, record))
                    if len(batch) >= BATCH_SIZE:
                        self._save(batch)
                        batch = []
        except ImportFileError:
            self._save(batch)  # what was read before the error stays imported
            raise
        self._save(batch)

    def _checked(self, item):
        """The record if it can go to validation, else None (and the rejection is reported)."""
        record = item.record
        if not isinstance(record, dict):
            self._reject(item.position, "", {"enregistrement": "un objet JSON est attendu"})
            return None
        if self.default_source and not record.get("source"):
            record["source"] = self.default_source
        record_id = str(record.get("id") or "")
        if record_id in self.seen:
            self._reject(item.position, record_id, {"id": f"en double dans le fichier (déjà "
                                                          f"en {self.seen[record_id]})"})  # fmt: skip
            return None
        if record_id:
            self.seen[record_id] = item.position
        return record

    def _save(self, batch):
        if not batch:
            return
        rows = self.model.objects.filter(identifiant__in=[r.get("id") for _, r in batch])
        existing = {
            row["identifiant"]: row
            for row in rows.values(*import_rules.existing_fields(self.model))
        }
        structures = self._batch_structures([record for _, record in batch])
        valid = []
        for position, record in batch:
            checksum = _checksum(record)
            row = existing.get(record.get("id"))
            if row and row["empreinte"] == checksum:
                self.report.inchanges += 1
                self.sources.add(record["source"])
                continue
            dropped = import_rules.drop_invalid(record)
            instance, errors = self._instance(record, row, structures)
            if errors:
                self._reject(position, str(record.get("id") or ""), errors)
                continue
            self.dropped += [f"{record['id']} : {name} : {text}" for name, text in dropped.items()]
            instance.empreinte = checksum
            self.sources.add(instance.source)
            valid.append(instance)
            if self.model is Service and instance.sur_place and not instance.has_coordinates:
                self.at_structure.append(instance.identifiant)
        with transaction.atomic():
            if valid:
                _upsert(valid)
            created = sum(instance.identifiant not in existing for instance in valid)
            self.report.crees += created
            self.report.mis_a_jour += len(valid) - created
            self.report.save()

    def _instance(self, record, existing, structures):
        """(the unsaved instance the record makes, {}) or (None, {field: message}). `existing`:
        the record's row in the database, if any; `structures`: see `_batch_structures`."""
        structure_pks, structure_sources = structures
        structure_source = structure_sources.get(str(record.get("structure_id")))
        instance, errors = validated(self.nature, record, structure_pks)
        errors = import_rules.ownership_errors(record, existing, structure_source) | errors
        if existing and not errors:
            import_rules.keep_portal_choices(instance, existing)
        return instance, errors

    def _batch_structures(self, records):
        """For services, ({data·inclusion id: pk}, {data·inclusion id: source}) of the structures
        they name; for structures, (None, {})."""
        if self.model is not Service:
            return None, {}
        structure_ids = {str(record.get("structure_id")) for record in records}
        rows = Structure.objects.filter(identifiant__in=structure_ids)
        found = list(rows.values_list("identifiant", "pk", "source"))
        return {key: pk for key, pk, _ in found}, {key: source for key, _, source in found}

    def _reject(self, position, record_id, errors):
        self.report.rejetes += 1
        for field_name, message in errors.items():
            if len(self.report.rejets) < MAX_DETAILED_REJECTIONS:
                self.report.rejets.append(
                    {"position": position, "id": record_id, "champ": field_name,
                     "message": message}
                )  # fmt: skip

    def _suspend_missing(self):
        if not self.report.export_complet:
            return
        if self.unreadable:
            self.file.warnings.append(
                f"Export complet non appliqué : {self.unreadable} ligne(s) illisible(s), les "
                "enregistrements absents ne sont pas suspendus."
            )
            return
        for source in sorted(self.sources):
            present = self.model.objects.filter(source=source, **VISIBLE[self.model])
            missing = [
                identifiant
                for identifiant in present.values_list("identifiant", flat=True).iterator()
                if identifiant not in self.seen
            ]
            refusal = import_rules.suspension_refusal(
                source, len(missing), present.count(), self.force
            )
            if refusal:
                self.report.erreur = "\n".join(filter(None, [self.report.erreur, refusal]))
                continue
            for start in range(0, len(missing), BATCH_SIZE):
                self.report.suspendus += _suspend(self.model, missing[start : start + BATCH_SIZE])

    def _warn_at_structure(self):
        if self.at_structure:
            self.file.warnings.append(
                f"{len(self.at_structure)} service(s) en présentiel sans adresse ni coordonnées : "
                "cherchés et affichés à l'adresse de leur structure "
                f"({_first_listed(self.at_structure, ', ')})."
            )

    def _warn_dropped(self):
        if self.dropped:
            self.file.warnings.append(
                f"{len(self.dropped)} valeur(s) invalide(s) laissée(s) de côté, les "
                f"enregistrements importés sans elles : {_first_listed(self.dropped, ' ; ')}"
            )

    def _finish(self, etat, erreur=""):
        self._warn_at_structure()
        self._warn_dropped()
        self.report.etat = etat
        self.report.erreur = erreur or self.report.erreur
        self.report.sources = sorted(self.sources)
        self.report.avertissements = self.file.warnings
        self.report.fin = timezone.now()
        self.report.save()


def validated(nature, record, structure_pks=None):
    """(an unsaved model instance, {}) for a valid record, else (None, {field: message}).
    `structure_pks` ({data·inclusion id: pk}) is what services need to find their structure."""
    _, schema, build = KINDS[nature]
    try:
        data = schema.model_validate(record, context=SCHEMA_CONTEXT)
    except pydantic.ValidationError as error:
        return None, _raw_errors(record, structure_pks) | _schema_errors(error)
    if errors := import_rules.number_errors(data):
        return None, errors
    return build(data, structure_pks)


def _checksum(record):
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _schema_errors(error):
    errors = {}
    for detail in error.errors(include_url=False):
        field_name = str(detail["loc"][0]) if detail["loc"] else "enregistrement"
        template = SCHEMA_MESSAGES.get(detail["type"])
        values = {"input": detail.get("input"), **(detail.get("ctx") or {})}
        message = template.format(**values) if template else detail["msg"]
        message = message.removeprefix("Value error, ")
        if message.startswith("value is not a valid email address"):
            message = f"adresse e-mail invalide « {detail.get('input')} »"
        errors[field_name] = "; ".join(filter(None, [errors.get(field_name), message]))
    return errors


def _raw_errors(record, structure_pks):
    """Our checks that can run on a record the schema refused, so the report lists them all."""
    code_insee, code_postal = (
        str(record.get(name) or "") for name in ("code_insee", "code_postal")
    )
    errors = lieu_errors(code_insee if len(code_insee) == 5 else "", code_postal, None, None)
    if structure_pks is not None and str(record.get("structure_id")) not in structure_pks:
        errors["structure_id"] = _unknown_structure(record.get("structure_id"))
    return errors


def _unknown_structure(structure_id):
    return (
        f"structure inconnue « {structure_id} » : importez d'abord le fichier des structures, "
        "ou corrigez l'identifiant"
    )


def _model_errors(instance):
    """Our own rules on top of the schema: reference geography, field lengths, SIRET key…"""
    errors = lieu_errors(
        instance.code_insee, instance.code_postal, instance.latitude, instance.longitude
    )
    try:
        instance.clean_fields(exclude=CHECKED_BY_SCHEMA)
    except ValidationError as error:
        errors |= {name: " ".join(messages) for name, messages in error.message_dict.items()}
    return errors


def _first_listed(items, separator):
    """The first MAX_LISTED_IDS items (str) joined by `separator`, « … » after when more."""
    return separator.join(items[:MAX_LISTED_IDS]) + ("…" if len(items) > MAX_LISTED_IDS else "")


def _text(value):
    if value is None:
        return ""
    return str(value)


def _slugs(values):
    return sorted(str(getattr(v, "value", v)) for v in values or [])


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


def _structure_from(data: v1.Structure, context=None):
    values = {name: _text(getattr(data, name)) for name in STRUCTURE_TEXT_FIELDS}
    values.update(
        source=data.source,
        identifiant=data.id,
        date_maj=data.date_maj,
        latitude=data.latitude,
        longitude=data.longitude,
        reseaux_porteurs=_slugs(data.reseaux_porteurs),
        est_publiee=True,
    )
    structure = Structure(**_with_position(current_codes(values)))
    return structure, _model_errors(structure)


def _zones(codes):
    """data·inclusion also allows country codes of the COG: 99100 is France (others are abroad,
    and rejected as unknown zones)."""
    return sorted({territoires.FRANCE if code == COG_FRANCE else code for code in codes})


def _service_from(data: v1.Service, structure_pks):
    values = {name: _text(getattr(data, name)) for name in SERVICE_TEXT_FIELDS}
    values |= {name: getattr(data, name) for name in SERVICE_NUMBER_FIELDS}
    values |= {name: _slugs(getattr(data, name)) for name in SERVICE_LIST_FIELDS}
    values["type"] = _text(data.type and data.type.value)
    values["frais"] = _text(data.frais and data.frais.value)
    values["zone_eligibilite"] = _zones(values["zone_eligibilite"])
    values.update(
        source=data.source,
        identifiant=data.id,
        date_maj=data.date_maj,
        structure_id=structure_pks.get(data.structure_id),
        statut=Service.Statut.PUBLIE,
        # Its producer published these contacts; a structure may hide them later (an update
        # keeps its choice). The contact's name is never public whatever this says.
        contact_public=True,
    )
    service = Service(**_with_position(current_codes(values)))
    errors = _model_errors(service)
    if service.structure_id is None:
        errors["structure_id"] = _unknown_structure(data.structure_id)
    return service, errors


def _updatable_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in {"identifiant", "cree_le", *PORTAL_FIELDS[model]}
    ]


def _upsert(objects):
    """Writes one batch and tells the search index, in the caller's transaction."""
    model = type(objects[0])
    model.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["identifiant"],
        update_fields=_updatable_fields(model),
    )
    offer_imported.send(sender=model, identifiants=[o.identifiant for o in objects])


@transaction.atomic
def _suspend(model, identifiants):
    """Hides records gone from their source's export; clearing the checksum makes their return
    a real import."""
    hidden = HIDDEN[model]
    count = model.objects.filter(identifiant__in=identifiants).update(empreinte=WITHDRAWN, **hidden)
    offer_imported.send(sender=model, identifiants=identifiants)
    return count


KINDS = {
    "structures": (Structure, v1.Structure, _structure_from),
    "services": (Service, v1.Service, _service_from),
}
