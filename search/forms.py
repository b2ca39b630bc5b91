"""The one validated search query, from the page's form or the API's parameters."""

import copy
import re

from django import forms
from django.utils import timezone

from catalogue import horaires
from search import ranking
from search.facets import GROUPS
from search.query import DEFAULT_DISTANCE_KM, DEFAULT_SIZE, MAX_PAGE, MAX_SIZE, Place, SearchQuery
from territoires import places
from territoires import services as territoires
from territoires.models import Commune

PLACE_PARAMETERS = ("code_commune", "code_postal", "lat")
ONE_PLACE_ONLY = "Indiquez un seul lieu : code_commune, code_postal, ou lat et lon."
DAY_NAMES = [name for _, name in horaires.WEEK]
TRUE, FALSE = ("1", "true", "on"), ("0", "false")
_TIME_OF_DAY = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)", re.ASCII)
ONE_OPENING_ONLY = "« Ouvert maintenant » ou « ouvert le … à … » : l'un ou l'autre, pas les deux."


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


class DayField(forms.ChoiceField):
    """A day's French name, whatever its case and spaces (« Lundi », « lundi »)."""

    def to_python(self, value):
        return super().to_python(value).strip().lower()


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
    ouvert_maintenant = forms.TypedChoiceField(
        label="Ouvert maintenant",
        required=False,
        choices=[(value, value) for value in (*TRUE, *FALSE)],
        coerce=lambda value: value in TRUE,
        empty_value=False,
        error_messages={
            "invalid_choice": "« %(value)s » : 1 ou true (les services ouverts maintenant), "
            "0 ou false."
        },
    )
    ouvert_le = DayField(
        label="Ouvert le",
        required=False,
        choices=[("", "—"), *((name, name) for name in DAY_NAMES)],
        error_messages={
            "invalid_choice": f"« %(value)s » n'est pas un jour : {', '.join(DAY_NAMES)}."
        },
    )
    ouvert_a = forms.CharField(label="à (heure)", required=False, max_length=5)
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

    def clean_ouvert_a(self):
        """Minutes since midnight (int), or None."""
        text = self.cleaned_data["ouvert_a"].strip()
        if not text:
            return None
        if not (match := _TIME_OF_DAY.fullmatch(text)):
            raise forms.ValidationError(
                f"Heure attendue au format HH:MM, de 00:00 à 23:59 (reçu « {text} »)."
            )
        return int(match.group(1)) * 60 + int(match.group(2))

    def _check_opening(self, data):
        """« Ouvert le » and « à » go together; « ouvert maintenant » excludes them."""
        day, minute = data.get("ouvert_le"), data.get("ouvert_a")
        if data.get("ouvert_maintenant") and (day or minute is not None):
            self.add_error("ouvert_maintenant", ONE_OPENING_ONLY)
        elif day and minute is None and "ouvert_a" not in self.errors:
            self.add_error("ouvert_a", "Indiquez l'heure avec le jour (ouvert_a, au format HH:MM).")
        elif minute is not None and not day and "ouvert_le" not in self.errors:
            self.add_error("ouvert_le", f"Indiquez le jour avec l'heure ({', '.join(DAY_NAMES)}).")

    def clean(self):
        data = super().clean()
        self._check_opening(data)
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
            open_at=self._open_at(data),
            sort=data["tri"],
            page=data["page"] or 1,
            size=data["size"] or DEFAULT_SIZE,
        )

    def _open_at(self, data):
        """`SearchQuery.open_at`: now, at each zone's minute; or that day and time, anywhere."""
        if data["ouvert_maintenant"]:
            return tuple(horaires.local_minutes(timezone.now()).items())
        if data["ouvert_le"]:
            day = DAY_NAMES.index(data["ouvert_le"])
            return ((day * horaires.MINUTES_PER_DAY + data["ouvert_a"], None),)
        return ()
