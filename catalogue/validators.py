from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

ACCESLIBRE_HOST = "acceslibre.beta.gouv.fr"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value: str):
    if len(value) != 14 or not value.isdigit():
        raise ValidationError(
            "Le SIRET doit comporter exactement 14 chiffres.", code="siret_format"
        )
    if not luhn_is_valid(value):
        raise ValidationError(
            "Ce SIRET n'est pas valide (la clé de contrôle ne correspond pas).", code="siret_luhn"
        )


def validate_nom(value: str):
    if value.endswith(".") and not value.endswith("etc."):
        raise ValidationError("Le nom ne doit pas se terminer par un point.", code="nom_point")


def acceslibre_problem(value: str) -> str:
    """ "" for the page of a place on Acceslibre (`https://acceslibre.beta.gouv.fr/…`), else a
    French sentence saying what is expected."""
    url = urlsplit(value)
    if url.scheme == "https" and url.hostname == ACCESLIBRE_HOST and url.path.strip("/"):
        return ""
    return (
        f"Lien Acceslibre attendu : la fiche du lieu, qui commence par « https://{ACCESLIBRE_HOST}/ »"
        f" (reçu « {value} »)."
    )


def validate_acceslibre(value: str):
    if message := acceslibre_problem(value):
        raise ValidationError(message, code="acceslibre")
