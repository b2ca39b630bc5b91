"""Finding the structure that takes over a fiche relais: by name, commune or SIRET, the person's
territory first (her commune, then her EPCI, then her département), homonyms told apart by their
address and SIRET."""

from django.db.models import Case, IntegerField, Q, Value, When

from catalogue.models import Structure
from territoires.models import Commune

LIMIT = 10
MIN_CHARS = 2


def label(structure):
    """« Nom — adresse, code postal commune — SIRET 732 829 320 00074 »: what tells homonyms
    apart in the suggestions, and what the form reads back without JavaScript."""
    place = " ".join(part for part in (structure.code_postal, structure.commune) if part)
    where = ", ".join(part for part in (structure.adresse, place) if part)
    siret = structure.siret
    parts = [
        structure.nom,
        where,
        f"SIRET {siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if siret else "",
    ]
    return " — ".join(part for part in parts if part)


def _territory_rank(commune):
    """0: the person's commune (or its arrondissements), 1: her EPCI, 2: her département, 3: elsewhere."""
    same = {commune.code_insee, commune.commune_parent_id} - {None}
    rules = [When(code_insee__in=same, then=Value(0))]
    if commune.epci_id:
        epci = Commune.objects.filter(epci_id=commune.epci_id).values("code_insee")
        rules.append(When(code_insee__in=epci, then=Value(1)))
    departement = Commune.objects.filter(departement_id=commune.departement_id)
    rules.append(When(code_insee__in=departement.values("code_insee"), then=Value(2)))
    return Case(*rules, default=Value(3), output_field=IntegerField())


def search(text, commune=None):
    """The published structures matching every word of `text` in their name or commune, or
    whose SIRET starts with its digits; the person's territory first, then by name."""
    digits = "".join(text.split())
    if digits.isdigit():
        found = Structure.objects.filter(siret__startswith=digits)
    else:
        found = Structure.objects.all()
        for word in text.split():
            found = found.filter(Q(nom__icontains=word) | Q(commune__icontains=word))
    found = found.filter(est_publiee=True)
    if commune is not None:
        return found.annotate(rang=_territory_rank(commune)).order_by("rang", "nom", "pk")
    return found.order_by("nom", "pk")


def resolve(text, commune=None):
    """The one structure a typed text designates (a suggestion's label, a SIRET, a name):
    (structure, "") or (None, why)."""
    text = text.strip()
    candidates = list(search(text, commune)[:LIMIT]) or list(
        search(text.split(" — ")[0], commune)[:LIMIT]
    )
    exact = [s for s in candidates if label(s) == text] or [
        s
        for s in candidates
        if s.nom.casefold() == text.casefold() or s.siret == "".join(text.split())
    ]
    if len(exact) == 1:
        return exact[0], ""
    if not exact and len(candidates) == 1:
        return candidates[0], ""
    if candidates:
        return (
            None,
            "Plusieurs structures correspondent : choisissez-en une dans la liste, ou indiquez son SIRET.",
        )
    return None, "Aucune structure publiée ne correspond : vérifiez le nom ou le SIRET."
