"""The OpenAPI 3.1 document of the portal's public API, built from the same forms that
validate the requests (a parameter cannot be documented and not accepted, or the reverse)."""

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from catalogue.api import OpenDataForm
from search.facets import FACETS, GROUPS
from search.forms import SearchForm
from territoires import places

PAGE_PROPERTIES = {
    "items": {"type": "array", "items": {"type": "object"}},
    "total": {"type": "integer"},
    "page": {"type": "integer"},
    "size": {"type": "integer"},
    "pages": {"type": "integer"},
}
ERRORS = {
    "description": "Paramètres invalides : un message par paramètre.",
    "content": {"application/json": {"schema": {"type": "object", "properties": {
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    }}}},
}  # fmt: skip
SEARCH_HELP = {
    "code_commune": "Code INSEE de la commune de la personne (un ancien code ou celui d'une "
    "commune déléguée désigne sa commune actuelle).",
    "code_postal": "Code postal : son arrondissement (Paris, Lyon, Marseille), sinon sa commune "
    "la plus peuplée.",
    "lat": "Latitude (avec lon) : le point lui-même.",
    "lon": "Longitude (avec lat).",
    "distance": "Rayon en km, de 1 à 100 (20 par défaut).",
    "q": "Les mots du conseiller : recherche classée par pertinence (synonymes et sigles du "
    "lexique, une faute de frappe tolérée ; accents, pluriels, élisions ignorés).",
    "tri": "`pertinence` (par défaut avec des mots) ou `distance` (par défaut sans mots).",
    **{name: group.help for name, group in GROUPS.items()},
    "ouvert_maintenant": "`1` ou `true` : seulement les services ouverts au moment de la "
    "requête, à l'heure de leur lieu, d'après leurs horaires d'accueil (semaine ordinaire : jours "
    "fériés et exceptions datées non pris en compte ; sans horaires, un service n'est pas "
    "retenu). Exclut `ouvert_le`.",
    "ouvert_le": "Avec `ouvert_a` : seulement les services ouverts ce jour (`lundi` … "
    "`dimanche`) à cette heure, à l'heure de leur lieu (semaine ordinaire).",
    "ouvert_a": "Avec `ouvert_le` : l'heure, `HH:MM` (de 00:00 à 23:59).",
    "page": "À partir de 1.",
    "size": "20 par défaut, 100 au plus.",
    "lieu": "Le lieu tel qu'on l'écrit : « Strasbourg 67000 », « St Etienne », un code INSEE "
    "ou postal, « 43.29, 5.37 », une adresse. Ambigu ou approché : 400 avec `candidats`.",
}
CANDIDATE = {"type": "object", "properties": {
    "code_insee": {"type": "string"}, "nom": {"type": "string"}, "departement": {"type": "string"},
}}  # fmt: skip
SEARCH_ERRORS = {
    "description": ERRORS["description"] + " Un lieu ambigu ou approché donne les communes "
    "entre lesquelles choisir (`candidats`, avec leur département).",
    "content": {"application/json": {"schema": {"type": "object", "properties": {
        **ERRORS["content"]["application/json"]["schema"]["properties"],
        "candidats": {"type": "array", "items": CANDIDATE},
    }}}},
}  # fmt: skip


def _schema(field):
    if isinstance(field, forms.IntegerField):  # FloatField included
        schema = {"type": "number" if isinstance(field, forms.FloatField) else "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        return {"type": "string", "enum": [value for value, _ in field.choices]}
    if getattr(field, "max_length", None):
        return {"type": "string", "maxLength": field.max_length}
    return {"type": "string"}


def _parameters(form_class, help_texts=None):
    form = form_class()
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": _schema(field),
            "description": (help_texts or {}).get(name, str(field.label or name)),
        }
        for name, field in form.fields.items()
    ]


# {facet: {value: count}}: each group's counts leave out its own selection (search/facets.py).
FACETS_PROPERTY = {"facets": {
    "type": "object",
    "description": "Effectifs par valeur ; ceux d'un filtre ignorent ses propres choix.",
    "properties": {
        facet.name: {"type": "object", "additionalProperties": {"type": "integer"}}
        for facet in FACETS
    },
}}  # fmt: skip


# What a search understood and, when nothing is within the distance, what would help
# (search/suggestions.py).
SEARCH_PROPERTIES = FACETS_PROPERTY | {
    "lieu": {
        "type": ["object", "null"],
        "description": "Le lieu compris (null sans lieu) : sa commune (un arrondissement pour "
        "son code postal ; « Cran-Gevrier (Annecy) » pour un ancien nom), le point cherché, sa "
        "précision (`adresse`, `commune` : position approximative, `point` : coordonnées "
        "données) et comment le texte a été lu.",
        "properties": {
            "code_insee": {"type": "string"},
            "nom": {"type": "string"},
            "code_postal": {"type": ["string", "null"]},
            "departement": {"type": "string"},
            "latitude": {"type": "number"},
            "longitude": {"type": "number"},
            "precision": {"type": "string", "enum": list(places.PRECISIONS)},
            "interpretation": {"type": "string", "enum": list(places.INTERPRETATIONS)},
        },
    },
    "tri": {"type": "string", "enum": ["pertinence", "distance"]},
    "suggestions": {
        "type": ["object", "null"],
        "description": "Quand rien n'est trouvé dans le rayon : pourquoi (`mots` : ces mots, "
        "`distance` : ce type de service), les mêmes mots plus loin, une orthographe connue, "
        "les thématiques que les mots désignent ; sinon null.",
        "properties": {
            "reason": {"type": "string", "enum": ["mots", "distance"]},
            "wider": {"type": "array", "items": {"type": "object", "properties": {
                "distance": {"type": "integer"}, "total": {"type": "integer"}}}},
            "spelling": {"type": ["string", "null"]},
            "thematiques": {"type": "array", "items": {"type": "object", "properties": {
                "slug": {"type": "string"}, "label": {"type": "string"}}}},
        },
    },
}  # fmt: skip


def _get(summary, parameters, item_description, extra_properties=None, errors=ERRORS):
    properties = PAGE_PROPERTIES | (extra_properties or {})
    return {"get": {
        "summary": summary,
        "parameters": parameters,
        "responses": {
            "200": {"description": item_description, "content": {"application/json": {
                "schema": {"type": "object", "properties": properties}}}},
            "400": errors,
        },
    }}  # fmt: skip


def document():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Portail de l'offre d'insertion (SPIE) — API",
            "version": "1",
            "description": "Recherche de services et offre ouverte au format data·inclusion v1.",
        },
        "paths": {
            reverse("search:api"): _get(
                "Rechercher des services autour d'un lieu",
                _parameters(SearchForm, SEARCH_HELP),
                "Services classés (pertinence ou distance), avec les effectifs des filtres "
                "(facets) et, sans résultat proche, des suggestions.",
                SEARCH_PROPERTIES,
                SEARCH_ERRORS,
            ),
            reverse("catalogue:api_structures"): _get(
                "Structures publiées (data·inclusion v1)",
                _parameters(OpenDataForm),
                "Structures, paginées.",
            ),  # fmt: skip
            reverse("catalogue:api_services"): _get(
                "Services publiés (data·inclusion v1)",
                _parameters(OpenDataForm),
                "Services, paginés ; enregistrements complets avec « Authorization: Token <clé> ».",
            ),  # fmt: skip
        },
    }


def openapi_json(request):
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False, "indent": 2})


def openapi_page(request):
    return render(request, "api_docs.html", {"document": document()})
