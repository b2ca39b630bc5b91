"""Checks of catalogue data against the reference geography, shared by the admin and the importer."""

from territoires import services as territoires


def lieu_errors(code_insee, code_postal, latitude, longitude):
    """{field: message} for an address whose commune, postal code or coordinates do not hold."""
    errors = {}
    code_insee = code_insee and (territoires.current_code(code_insee) or code_insee)
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


def current_codes(values):
    """A record's geography in current codes: a former commune's `code_insee` and zone codes
    become its current commune's (the name given in `commune` is kept: « Cran-Gevrier »)."""
    code_insee = values.get("code_insee")
    if code_insee:
        values["code_insee"] = territoires.current_code(code_insee) or code_insee
    if "zone_eligibilite" in values:
        values["zone_eligibilite"] = current_zone(values["zone_eligibilite"])
    return values


def current_zone(codes):
    """Zone codes with former communes replaced by their current commune, without repeats."""
    return list(dict.fromkeys(territoires.current_zone_code(code) for code in codes or []))


def zone_errors(codes):
    unknown = [code for code in codes or [] if territoires.zone_kind(code) is None]
    if not unknown:
        return {}
    return {
        "zone_eligibilite": f"Code(s) de zone inconnu(s) : {', '.join(unknown)}. Utilisez des codes "
        "INSEE de commune, des SIREN d'EPCI, des codes de département ou « france »."
    }
