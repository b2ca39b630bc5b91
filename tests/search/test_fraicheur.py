"""The freshness rule in search, on both backends (catalogue.fraicheur): at equal distance the
later péremption (date_maj + 2 × frequency) ranks first; distance still wins; services not
confirmed for 12 months are left out of anonymous searches only."""

import datetime

from django.utils import timezone

import pytest
import time_machine

from catalogue import fraicheur
from catalogue.models import Service
from territoires.models import Commune
from tests.factories import ServiceFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

AUBAGNE = {"code_insee": "13005", "code_postal": "13400", "commune": "Aubagne"}
NOW = datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC)


def _service(nom, date_maj, frequence=6, metres_from_town_hall=300):
    town_hall = Commune.objects.get(pk="13005")
    point = {
        "latitude": town_hall.latitude + metres_from_town_hall / 111_200,
        "longitude": town_hall.longitude,
    }
    service = ServiceFactory(
        nom=nom, structure=StructureFactory(**AUBAGNE, **point), frequence_maj=frequence,
        zone_eligibilite=[], modes_accueil=["en-presentiel"], **AUBAGNE, **point,
    )  # fmt: skip
    Service.objects.filter(pk=service.pk).update(date_maj=date_maj)
    service.refresh_from_db()
    service.save()  # the index follows date_maj
    return service


@pytest.fixture
def offer():
    today = NOW.date()
    with time_machine.travel(NOW, tick=False):
        return {
            "frais": _service("Atelier frais", today),
            "a actualiser": _service("Atelier à actualiser", today - datetime.timedelta(days=200)),
            "en retard": _service("Atelier en retard", fraicheur.add_months(today, -7), 3),
            "masque": _service("Atelier masqué", fraicheur.add_months(today, -12)),
            "presque masque": _service(
                "Atelier presque masqué", fraicheur.add_months(today, -12) + datetime.timedelta(1)
            ),
            "plus proche en retard": _service(
                "Atelier plus proche", fraicheur.add_months(today, -7), 3, metres_from_town_hall=0
            ),
        }


def _names(search_api, **params):
    with time_machine.travel(NOW, tick=False):
        body = search_api(code_commune="13005", **params).json()
    return [item["service"]["nom"] for item in body["items"]]


def test_the_rule_in_numbers():
    today = datetime.date(2026, 11, 23)
    may = datetime.date(2026, 5, 23)
    assert fraicheur.etat(may, 6, today) == fraicheur.A_ACTUALISER  # échéance reached
    assert fraicheur.etat(may + datetime.timedelta(1), 6, today) == fraicheur.A_JOUR
    assert fraicheur.etat(may, 3, today) == fraicheur.EN_RETARD  # 2 × 3 months
    assert fraicheur.etat(datetime.date(2025, 11, 23), 12, today) == fraicheur.MASQUE
    assert fraicheur.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert fraicheur.anciennete(today - datetime.timedelta(12), today) == "il y a 12 jours"
    assert fraicheur.anciennete(today, today) == "aujourd'hui"
    assert fraicheur.anciennete(datetime.date(2025, 1, 1), today) == "il y a plus d'un an"


def test_professionals_see_stale_services_after_fresher_ones_at_equal_distance(
    search_api, offer, client
):
    client.force_login(UserFactory())

    assert _names(search_api) == [
        "Atelier plus proche",  # closer: distance first, however stale
        "Atelier frais",  # then at the same point, by péremption, latest first
        "Atelier à actualiser",
        "Atelier presque masqué",  # péremption = date_maj + 12 months = tomorrow
        "Atelier en retard",  # = a month ago
        "Atelier masqué",  # hidden from the public: after every other service (issue 15)
    ]


def test_with_words_fresher_services_go_up_and_hidden_ones_last(search_api, offer, client):
    """Relevance × proximity × freshness (search.ranking): the same words, all within 2 km;
    late services (past their péremption) weigh 0.75, hidden ones come last."""
    client.force_login(UserFactory())

    assert _names(search_api, q="atelier") == [
        "Atelier frais",
        "Atelier à actualiser",
        "Atelier presque masqué",
        "Atelier plus proche",  # late, however close
        "Atelier en retard",
        "Atelier masqué",
    ]
    assert _names(search_api, q="atelier", tri="distance")[:2] == [
        "Atelier plus proche",
        "Atelier frais",
    ]


def test_anonymous_search_hides_services_not_confirmed_for_12_months(search_api, offer):
    names = _names(search_api)

    assert "Atelier masqué" not in names
    assert "Atelier presque masqué" in names and len(names) == 5


def test_a_confirmation_brings_a_service_back_to_the_front(search_api, offer):
    later = NOW + datetime.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        service = offer["presque masque"]
        service.date_maj = timezone.localdate()
        service.save()
        body = search_api(code_commune="13005").json()

    names = [item["service"]["nom"] for item in body["items"]]
    assert names == [
        "Atelier plus proche",
        "Atelier presque masqué",  # confirmed: péremption in a year
        "Atelier frais",
        "Atelier à actualiser",
        # « Atelier masqué » is still hidden; « en retard » ranks last
        "Atelier en retard",
    ]
