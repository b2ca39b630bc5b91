"""Opening hours: OSM `opening_hours` checked by the parser with French messages, reduced to the
open intervals of a normal week (minutes from Monday 00:00), and open or not at an instant in
the place's time zone."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError

import pytest

from catalogue import horaires
from catalogue.models import Service, Structure
from catalogue.presentation import opening
from catalogue.validators import acceslibre_problem

DAY = horaires.MINUTES_PER_DAY
MO, TU, WE, TH, FR, SA, SU = (n * DAY for n in range(7))


def at(day, hour, minute=0):
    return day + hour * 60 + minute


@pytest.mark.parametrize(
    "text",
    ["Mo-Fr 09:00-12:00,14:00-17:00", "24/7", "Mo-Sa 08:00-20:00; Su off", "Sa 22:00-02:00",
     "Mo-Fr 09:00-12:00; PH off", 'Mo-Fr 09:00-12:00 || "sur rendez-vous"', horaires.EXAMPLE],
)  # fmt: skip
def test_valid_hours_pass(text):
    assert horaires.problem(text) == ""
    horaires.validate_horaires(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mo-Fr 9h-12h",
         "Horaires illisibles au format OpenStreetMap à partir de « 9h-12h » (caractère 7). "
         "Les heures s'écrivent sur deux chiffres avec deux-points : 09:00-12:00. "
         "Exemple : « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »."),
        ("lundi 09:00-12:00",
         "Horaires illisibles au format OpenStreetMap à partir de « lundi 09:00-12:00 » "
         "(caractère 1). Les jours s'écrivent en abrégé anglais : Mo, Tu, We, Th, Fr, Sa, Su. "
         "Exemple : « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »."),
        ("Mo-Fr 09:00-12:00;",
         "Horaires illisibles au format OpenStreetMap à la fin du texte (caractère 19). "
         "Pas de point-virgule à la fin. "
         "Exemple : « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »."),
        ("Du lundi au vendredi de 9 h à 12 h",
         "Horaires illisibles au format OpenStreetMap à partir de « Du lundi au vendredi de 9 h "
         "à 12 h » (caractère 1). Les jours s'écrivent en abrégé anglais : Mo, Tu, We, Th, Fr, "
         "Sa, Su. Les heures s'écrivent sur deux chiffres avec deux-points : 09:00-12:00. "
         "Exemple : « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »."),
    ],
)  # fmt: skip
def test_invalid_hours_are_refused_with_a_french_message(text, message):
    assert horaires.problem(text) == message
    with pytest.raises(ValidationError) as error:
        horaires.validate_horaires(text)
    assert error.value.messages == [message] and error.value.code == "horaires"


@pytest.mark.django_db
def test_both_models_check_their_hours():
    for instance in (Structure(horaires_accueil="Mo-Fr 9-12"), Service(horaires_accueil="24/24")):
        with pytest.raises(ValidationError) as error:
            instance.clean_fields()
        assert "Horaires illisibles au format OpenStreetMap" in " ".join(
            error.value.message_dict["horaires_accueil"]
        )


@pytest.mark.parametrize(
    ("text", "intervals"),
    [
        ("Mo-Fr 09:00-12:00",
         [(at(d, 9), at(d, 12)) for d in (MO, TU, WE, TH, FR)]),
        ("Mo,Th 09:00-12:00,14:00-17:30",
         [(at(MO, 9), at(MO, 12)), (at(MO, 14), at(MO, 17, 30)),
          (at(TH, 9), at(TH, 12)), (at(TH, 14), at(TH, 17, 30))]),
        # Over midnight: cut at midnight, the rest on the next day.
        ("Sa 22:00-02:00", [(at(SA, 22), SU), (SU, at(SU, 2))]),
        # Sunday night spills onto Monday morning, the start of the week.
        ("Su 22:00-02:00", [(MO, at(MO, 2)), (at(SU, 22), 7 * DAY)]),
        ("Mo-Fr 09:00-12:00; We off",
         [(at(d, 9), at(d, 12)) for d in (MO, TU, TH, FR)]),
        ("24/7", [(d, d + DAY) for d in (MO, TU, WE, TH, FR, SA, SU)]),
        ("off", []),
        # Public holidays never apply to a normal week.
        ("Mo 10:00-11:00; PH off", [(at(MO, 10), at(MO, 11))]),
        # The parser reads an open end as open until midnight.
        ("Mo 10:00+", [(at(MO, 10), TU)]),
        # Unknown is not open, nor what a comment qualifies.
        ("Mo 10:00-12:00 unknown", []),
        ('"sur rendez-vous"', []),
        ('Mo 10:00-12:00 "sur rendez-vous"; Tu 10:00-12:00', [(at(TU, 10), at(TU, 12))]),
        ("", []),
        ("Mo-Fr 9h-12h", []),
    ],
)  # fmt: skip
def test_weekly_intervals(text, intervals):
    assert list(horaires.weekly_intervals(text)) == intervals


# Monday 30 November 2026, 13:30 UTC: 14:30 in Paris (winter), 09:30 in Martinique, 17:30 at
# La Réunion.
INSTANT = datetime(2026, 11, 30, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("Mo 14:00-15:00", "Europe/Paris", True),
        ("Mo 14:00-15:00", "America/Martinique", False),
        ("Mo 09:00-10:00", "America/Martinique", True),
        ("Mo 09:00-10:00", "Europe/Paris", False),
        ("Mo 17:00-18:00", "Indian/Reunion", True),
        ("Mo 14:30-15:00", "Europe/Paris", True),  # the start is included
        ("Mo 14:00-14:30", "Europe/Paris", False),  # the end is not
        ("", "Europe/Paris", False),  # without hours, never open
    ],
)
def test_open_at_an_instant_in_the_place_s_time_zone(text, zone, expected):
    assert horaires.is_open(text, zone, INSTANT) is expected


def test_summer_time_moves_paris_not_martinique():
    summer = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)  # Monday: 14:30 Paris, 08:30 Martinique
    assert horaires.is_open("Mo 14:00-15:00", "Europe/Paris", summer)
    assert horaires.is_open("Mo 08:00-09:00", "America/Martinique", summer)


def test_local_minutes_give_each_zone_its_minute():
    minutes = horaires.local_minutes(INSTANT)

    assert minutes[at(MO, 14, 30)] == ("Europe/Paris",)
    assert "America/Martinique" in minutes[at(MO, 9, 30)]
    assert "America/Guadeloupe" in minutes[at(MO, 9, 30)]
    assert minutes[at(MO, 17, 30)] == ("Indian/Reunion",)
    assert sorted(z for zones in minutes.values() for z in zones) == sorted(
        horaires.fuseaux.ZONE_NAMES
    )


def test_what_a_card_says():
    assert opening("Mo 14:00-15:00", "Europe/Paris", INSTANT) == {
        "lignes": ["lundi de 14 h 00 à 15 h 00"],
        "ouvert": True,
    }
    assert opening("Tu 14:00-15:00", "Europe/Paris", INSTANT)["ouvert"] is False
    assert opening("", "Europe/Paris", INSTANT) == {"lignes": [], "ouvert": None}


def test_a_card_parses_and_reads_its_hours_once_not_on_every_request(monkeypatch):
    """A result card says its hours on every search request: the text is parsed once (not once
    to check it, then again), and read in French once."""
    horaires.weekly_intervals.cache_clear()
    horaires._humanized.cache_clear()
    parses, readings = [], []
    parse, read = horaires.OpeningHours, horaires._rule_in_french
    monkeypatch.setattr(horaires, "OpeningHours", lambda text: parses.append(text) or parse(text))
    monkeypatch.setattr(
        horaires, "_rule_in_french", lambda rule: readings.append(rule) or read(rule)
    )
    text = "Mo 14:00-15:00; Tu 09:00-10:00"

    cards = [opening(text, "Europe/Paris", INSTANT) for _ in range(3)]

    assert (parses, len(readings)) == ([text], 2)
    assert cards == 3 * [
        {"lignes": ["lundi de 14 h 00 à 15 h 00", "mardi de 9 h 00 à 10 h 00"], "ouvert": True}
    ]


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://acceslibre.beta.gouv.fr/app/59-lille/a/mairie/erp/mairie-dhellemmes/", True),
        ("http://acceslibre.beta.gouv.fr/app/59-lille/a/mairie/erp/mairie-dhellemmes/", False),
        ("https://acceslibre.beta.gouv.fr/", False),
        ("https://acceslibre.beta.gouv.fr.example.org/app/x/", False),
        ("https://example.org/acceslibre.beta.gouv.fr/", False),
    ],
)
def test_the_accessibility_link_is_an_acceslibre_page(url, valid):
    assert (acceslibre_problem(url) == "") is valid
    if not valid:
        assert acceslibre_problem(url) == (
            "Lien Acceslibre attendu : la fiche du lieu, qui commence par "
            f"« https://acceslibre.beta.gouv.fr/ » (reçu « {url} »)."
        )
