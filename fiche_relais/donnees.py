"""Answering a person's access request (RGPD, article 15): everything the portal holds about
her — prescriptions, parcours, consents, fiches relais with every version, who read them —
found by her person key, within the territory of the coordination that asks."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from accounts.territories import coordinated_communes_filter
from fiche_relais.models import Personne
from prescription.models import Prescription, person_key


def _fields(instance, exclude=()):
    return {k: v for k, v in model_to_dict(instance).items() if k not in exclude}


def export(user, nom, prenom, date_naissance=None):
    key = person_key(nom, prenom, date_naissance)
    territory = coordinated_communes_filter(user)
    prescriptions = Prescription.objects.filter(territory, personne_cle=key)
    personnes = Personne.objects.filter(territory, personne_cle=key)
    return {
        "personne": {"nom": nom, "prenom": prenom, "date_naissance": date_naissance},
        "prescriptions": [
            _fields(p, exclude={"idempotence"})
            | {"service": p.service.nom, "historique": [_fields(t) for t in p.transitions.all()]}
            for p in prescriptions.select_related("service")
        ],
        "parcours": [_parcours(personne) for personne in personnes],
    }


def _parcours(personne):
    return _fields(personne) | {
        "etapes": [_fields(e) for e in personne.etapes.all()],
        "consentements": [_consent(c) for c in personne.consentements.all()],
        "fiches_relais": [
            _fields(fiche)
            | {
                "versions": [_fields(v) for v in fiche.versions.all()],
                "lectures": [_fields(lecture) for lecture in fiche.lectures.all()],
            }
            for fiche in personne.fiches.all()
        ],
    }


def _consent(consentement):
    """The proof itself (drawn signature, scan) is shown to the person on request, not
    copied into the file: it says whether there is one."""
    return _fields(consentement, exclude={"signature", "document"}) | {
        "signature_dessinee": bool(consentement.signature),
        "document_joint": bool(consentement.document),
    }


def as_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
