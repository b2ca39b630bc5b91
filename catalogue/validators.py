from django.core.exceptions import ValidationError


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
