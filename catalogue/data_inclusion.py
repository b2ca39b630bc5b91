"""Our structures and services as data·inclusion v1 records: the open format of the offer."""

from data_inclusion.schema import v1

STRUCTURE_FIELDS = list(v1.Structure.model_fields)
SERVICE_FIELDS = list(v1.Service.model_fields)
# Never in an open record: a person's name; a service's phone and e-mail unless made public.
PRIVATE_CONTACT_FIELDS = ("telephone", "courriel")


def _value(value):
    """Empty is `null` in data·inclusion (its optional lists must not be empty)."""
    if value == "" or value == []:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def structure_record(structure):
    values = {name: getattr(structure, name, None) for name in STRUCTURE_FIELDS}
    values["id"] = structure.identifiant
    return {name: _value(value) for name, value in values.items()}


def service_record(service, public=True):
    """`public`: as anyone may read it (open export, anonymous API)."""
    values = {name: getattr(service, name, None) for name in SERVICE_FIELDS}
    values["id"] = service.identifiant
    values["structure_id"] = service.structure.identifiant
    values["horaires_accueil"] = service.horaires
    record = {name: _value(value) for name, value in values.items()}
    if public:
        record["contact_nom_prenom"] = None
        if not service.contact_public:
            record.update(dict.fromkeys(PRIVATE_CONTACT_FIELDS))
    return record
