"""Checks of catalogue data against the reference geography, shared by the admin and the importer."""

from territoires import services as territoires


def lieu_errors(code_insee, code_postal, latitude, longitude):
    """{field: message} for an address whose commune, postal code or coordinates do not hold."""
    errors = {}
    if code_insee and not territoires.commune_exists(code_insee):
        errors["code_insee"] = f"Code INSEE inconnu : {code_insee}."
    elif code_insee and code_postal and code_postal not in territoires.postal_codes_of(code_insee):
        errors["code_postal"] = (
            f"Le code postal {code_postal} ne dessert pas la commune {code_insee}."
        )
    if (latitude is None) != (longitude is None):
        errors["latitude"] = "Renseignez la latitude et la longitude, ou aucune des deux."
    elif latitude is not None and not territoires.is_in_france(latitude, longitude):
        errors["latitude"] = f"Les coordonnées ({latitude}, {longitude}) sont hors de France."
    return errors


def zone_errors(codes):
    unknown = [code for code in codes or [] if territoires.zone_kind(code) is None]
    if not unknown:
        return {}
    return {
        "zone_eligibilite": f"Code(s) de zone inconnu(s) : {', '.join(unknown)}. Utilisez des codes "
        "INSEE de commune, des SIREN d'EPCI, des codes de département ou « france »."
    }
