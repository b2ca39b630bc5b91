"""The one validated search query, from the page's form or the API's parameters."""

import copy

from django import forms

from search import ranking
from search.facets import GROUPS
from search.query import DEFAULT_DISTANCE_KM, DEFAULT_SIZE, MAX_PAGE, MAX_SIZE, Place, SearchQuery
from territoires import places
from territoires import services as territoires
from territoires.models import Commune

PLACE_PARAMETERS = ("code_commune", "code_postal", "lat")
ONE_PLACE_ONLY = "Indiquez un seul lieu : code_commune, code_postal, ou lat et lon."


class CommaSeparatedCheckboxes(forms.CheckboxSelectMultiple):
    """Reads `a,b` as well as repeated parameters `x=a&x=b` (what checkboxes send)."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(values, str):
            values = [values]
        return [slug.strip() for value in values for slug in value.split(",") if slug.strip()]


class SlugListField(forms.MultipleChoiceField):
    widget = CommaSeparatedCheckboxes
    default_error_messages = {
        "invalid_choice": "« %(value)s » n'est pas une valeur du référentiel data·inclusion.",
    }

    def __init__(self, choices, **kwargs):
        super().__init__(choices=choices, required=False, **kwargs)

    def __deepcopy__(self, memo):
        """Each form copies its fields (`Field.__deepcopy__`); the referential's hundreds of
        choices never change and are shared, not copied and normalised again (that was a
        twentieth of a search's time)."""
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


def zone_codes_of(commune):
    """The zone codes covering a commune: itself, its EPCI, its département, `france`, and for
    an arrondissement its city's code (and the city's EPCI)."""
    codes = {commune.code_insee, commune.departement_id, territoires.FRANCE}
    epci_id = commune.epci_id
    if commune.type == Commune.Type.ARRONDISSEMENT and commune.commune_parent_id:
        codes.add(commune.commune_parent_id)
        epci_id = epci_id or territoires.get_commune(commune.commune_parent_id).epci_id
    if epci_id:
        codes.add(epci_id)
    return frozenset(codes)


def place_of(understood):
    """The search's Place for a place understood by `territoires.places`."""
    label = f"{understood.candidate.nom} ({understood.commune.departement_id})"
    if understood.precision == places.PRECISION_POINT:
        label = f"Autour de {label}"
    return Place(
        understood.latitude, understood.longitude, zone_codes_of(understood.commune), label
    )


# One parameter per facet group of the registry: the page's checkboxes, the API's slugs.
FacetFields = type(
    "FacetFields",
    (forms.Form,),
    {name: SlugListField(group.choices(), label=group.title) for name, group in GROUPS.items()},
)


class SearchForm(FacetFields):
    # The communes to choose from when `lieu` is ambiguous or only close to names.
    candidates = ()

    lieu = forms.CharField(
        label="Commune ou code postal de la personne", required=False, max_length=100
    )
    code_commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    code_postal = forms.CharField(required=False, max_length=5)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    distance = forms.FloatField(
        label="Distance maximale (km)", required=False, min_value=1, max_value=100
    )
    q = forms.CharField(label="Mots-clés", required=False, max_length=200)
    tri = forms.ChoiceField(label="Trier par", required=False, choices=ranking.SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    size = forms.IntegerField(required=False, min_value=1, max_value=MAX_SIZE)

    def clean_code_commune(self):
        code = self.cleaned_data["code_commune"].strip().upper()
        if code and territoires.current_code(code) is None:
            raise forms.ValidationError(f"Commune inconnue : « {code} » (code INSEE attendu).")
        return code

    def clean_code_postal(self):
        code = self.cleaned_data["code_postal"].strip()
        if code and not (code.isdigit() and len(code) == 5):
            raise forms.ValidationError("Un code postal s'écrit avec 5 chiffres.")
        return code

    def clean(self):
        data = super().clean()
        given = [name for name in PLACE_PARAMETERS if self.data.get(name) not in (None, "")]
        if self.data.get("lon") not in (None, "") and "lat" not in given:
            given.append("lat")
        if len(given) > 1:
            self.add_error(given[-1], ONE_PLACE_ONLY)
        elif not self.errors:
            data["place"] = self._place(data)
        return data

    def _place(self, data):
        """The Place searched from, the place understood kept as `lieu_compris` (the API's
        `lieu`), and the choices offered as `self.candidates` when the text is ambiguous."""
        understood = self._understood(data)
        data["lieu_compris"] = understood
        return place_of(understood) if understood else None

    def _understood(self, data):
        if data.get("code_commune"):
            return places.of_commune_code(data["code_commune"])
        if data.get("code_postal"):
            return self._of_postal_code(data["code_postal"])
        if data.get("lat") is not None or data.get("lon") is not None:
            return self._of_point(data.get("lat"), data.get("lon"))
        if data.get("lieu"):
            return self._of_text(data["lieu"])
        return None

    def _of_postal_code(self, code):
        understood = places.of_postal_code(code)
        if understood is None:
            self.add_error("code_postal", f"Aucune commune n'a le code postal {code}.")
        return understood

    def _of_point(self, latitude, longitude):
        if latitude is None or longitude is None:
            missing = "lon" if longitude is None else "lat"
            self.add_error(missing, "La latitude et la longitude vont ensemble.")
            return None
        understood = places.of_point(latitude, longitude) if -90 <= latitude <= 90 else None
        if understood is None:
            self.add_error("lat", "Ce point n'est pas en France.")
        return understood

    def _of_text(self, text):
        try:
            return places.parse(text)
        except places.PlaceError as error:
            self.candidates = error.candidates
            self.add_error("lieu", error.message)
            return None

    def to_query(self, public=False):
        data = self.cleaned_data
        return SearchQuery(
            public=public,
            place=data.get("place"),
            distance_km=data["distance"] or DEFAULT_DISTANCE_KM,
            filters={
                name: group.selection(data[name]) for name, group in GROUPS.items() if data[name]
            },
            concepts=ranking.analyse(data["q"]),
            sort=data["tri"],
            page=data["page"] or 1,
            size=data["size"] or DEFAULT_SIZE,
        )
