"""What an import of data·inclusion records may change, and what it must leave alone.

- A record creates or changes only records of its own `source`: an `id` already held by another
  source, a service attached to another source's structure, or a record claiming the portal's
  own source (`portail-spie`, what structures enter here) is rejected, naming that source.
- Fields the portal owns (`PORTAL_FIELDS`) are never written by an import on an existing record.
  Contact fields (`KEPT_WHEN_EMPTY`) take the record's value when it has one; a record without
  one keeps the value on the portal (typed by the structure, or imported before): a source that
  does not publish contacts never erases those a structure entered.
- Visibility: an import publishes what it creates and republishes what a full export had
  withdrawn (its checksum then is `WITHDRAWN`); what a structure suspended, archived or put
  back in draft stays so.
- Opening hours that are not valid OSM `opening_hours`, and an accessibility link that is not an
  Acceslibre page (`LENIENT_FIELDS`), are left out of the record, which imports without them; the
  report warns.
- Numbers must be finite and within `NUMBER_RANGES`, or the record is rejected.
- A full export suspends at most `settings.IMPORT_MAX_SUSPENDED_SHARE` of a source's published
  records, unless forced.
"""

import math

from django.conf import settings

from catalogue.horaires import problem as horaires_problem
from catalogue.models import PORTAIL_SOURCE, Service, Structure
from catalogue.validators import acceslibre_problem

# Fields of our models that no data·inclusion record carries: set on the portal only.
PORTAL_FIELDS = {
    Structure: ("structure_parente", "relecture_services", "latest_revision"),
    Service: ("frequence_maj", "contact_public", "latest_revision", "modele", "valeurs_modele"),
}
KEPT_WHEN_EMPTY = {
    Structure: ("telephone", "courriel"),
    Service: ("telephone", "courriel", "contact_nom_prenom"),
}
VISIBLE = {Structure: {"est_publiee": True}, Service: {"statut": Service.Statut.PUBLIE}}
HIDDEN = {Structure: {"est_publiee": False}, Service: {"statut": Service.Statut.SUSPENDU}}
WITHDRAWN = ""  # the checksum of a record a full export no longer listed (imports write 64 hex)
# Inclusive bounds: coordinates on Earth; at most the hours of a week; at most ten years.
NUMBER_RANGES = {
    "latitude": (-90, 90),
    "longitude": (-180, 180),
    "volume_horaire_hebdomadaire": (0, 168),
    "nombre_semaines": (1, 520),
}


# {field: its problem (a French sentence, "" when valid)}: fields left out when invalid.
LENIENT_FIELDS = {"horaires_accueil": horaires_problem, "accessibilite_lieu": acceslibre_problem}


def drop_invalid(record):
    """Empties the record's (a dict) invalid `LENIENT_FIELDS`; returns {field: message}."""
    dropped = {}
    for name, problem in LENIENT_FIELDS.items():
        value = record.get(name)
        if isinstance(value, str) and value and (message := problem(value)):
            record[name] = None
            dropped[name] = message
    return dropped


def existing_fields(model):
    """The columns of an existing record the rules below read."""
    return ["identifiant", "empreinte", "source", *VISIBLE[model], *KEPT_WHEN_EMPTY[model]]


def ownership_errors(record, existing, structure_source=None):
    """{field: message} when the record (a dict) would change what it does not own. `existing`:
    the row of the same id, if any ({"source": …}); `structure_source`: for a service, the
    source of the structure it names, if that structure exists."""
    source = str(record.get("source") or "")
    if source == PORTAIL_SOURCE:
        return {"source": f"« {PORTAIL_SOURCE} » est la source des saisies du portail : un "
                          "import ne peut ni en créer ni en modifier"}  # fmt: skip
    errors = {}
    if existing and existing["source"] != source:
        errors["id"] = (
            f"« {record.get('id')} » appartient à la source « {existing['source']} » : un "
            f"enregistrement de la source « {source} » ne peut pas le modifier"
        )
    if structure_source is not None and structure_source != source:
        errors["structure_id"] = (
            f"la structure « {record.get('structure_id')} » appartient à la source "
            f"« {structure_source} » : un service de la source « {source} » ne peut pas y être "
            "rattaché"
        )
    return errors


def number_errors(data):
    """{field: message} for numbers of a validated record (pydantic) that are not finite or out
    of their range."""
    errors = {}
    for name, (low, high) in NUMBER_RANGES.items():
        value = getattr(data, name, None)
        if value is None:
            continue
        if not math.isfinite(value):
            errors[name] = f"nombre attendu, reçu « {value} »"
        elif not low <= value <= high:
            errors[name] = f"doit être compris entre {low} et {high}, reçu « {value} »"
    return errors


def keep_portal_choices(instance, existing):
    """Before an update: the instance (built from the record) takes back the visibility the
    portal chose and the contact entered on the portal that the record lacks."""
    model = type(instance)
    for name, visible in VISIBLE[model].items():
        if existing[name] != visible and existing["empreinte"] != WITHDRAWN:
            setattr(instance, name, existing[name])
    for name in KEPT_WHEN_EMPTY[model]:
        if not getattr(instance, name) and existing[name]:
            setattr(instance, name, existing[name])


def suspension_refusal(source, missing, published, force):
    """Why a full export may not suspend `missing` of the `published` records of `source`, or
    an empty string."""
    share = settings.IMPORT_MAX_SUSPENDED_SHARE
    if force or not missing or missing <= share * published:
        return ""
    return (
        f"Export complet non appliqué pour la source « {source} » : {missing} de ses "
        f"{published} enregistrements publiés ({missing / published:.0%}) seraient suspendus, "
        f"plus que le maximum de {share:.0%}. Vérifiez que le fichier est complet ; s'il l'est, "
        "relancez avec --force."
    )
