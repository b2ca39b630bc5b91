"""Saved searches (issue 20, item 3): saving the search page's parameters (bad input refused with
its reason), « Mes recherches » for its owner only, the alerts job (new or changed services
once, on both backends, at the chosen frequency, nothing without news) and the signed
one-click unsubscribe link."""

import datetime
import html
import io
import logging
import re

from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from saved_searches import services
from saved_searches.enums import AlertFrequency
from saved_searches.models import SavedSearch
from search import sync
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
PERMIS_MARSEILLE = {"code_commune": ["13055"], "q": ["permis"]}
SAVE_URL = "/comptes/recherches/enregistrer/"


@pytest.fixture
def professional():
    return UserFactory(email="conseillere@france-travail.fr")


def _saved(owner, frequency=AlertFrequency.FORTNIGHTLY, parameters=None, name="Permis"):
    """A saved search made at T0 (its alerts cover what changes from then on)."""
    return SavedSearch.objects.create(
        owner=owner, name=name, frequency=frequency, parameters=parameters or PERMIS_MARSEILLE,
        created_at=T0, watched_since=T0,
    )  # fmt: skip


def _at(moment, function, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return function(*args, **kwargs)


def _alerts(mails, moment):
    """Runs the job at `moment` (its e-mails leave on commit); returns the alerts sent then."""
    before = len(mail.outbox)
    with mails(execute=True):
        _at(moment, services.send_alerts)
    return mail.outbox[before:]


# Saving ------------------------------------------------------------------------------------------


def test_the_search_page_offers_to_save_the_search_to_professionals_only(client, professional):
    url = "/recherche/?code_commune=13055&q=permis"
    assert b"Enregistrer cette recherche" not in client.get(url).content
    client.force_login(professional)
    page = client.get(url).content.decode()
    assert f'href="{SAVE_URL}?code_commune=13055&amp;q=permis"' in page


def test_a_professional_saves_the_parameters_of_the_search(client, professional):
    client.force_login(professional)
    query = "?code_commune=13055&distance=10&q=permis&thematiques=mobilite&lat=&page=3"
    page = client.get(SAVE_URL + query).content.decode()
    assert "Marseille (13), à moins de 10 km" in page
    assert "Mots-clés : permis" in page and "Thématiques : Mobilité" in page

    response = client.post(SAVE_URL + query, {"name": "Permis Marseille", "frequency": "mensuelle"})

    assert response.status_code == 302 and response["Location"] == "/comptes/recherches/"
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.name, saved.frequency) == (
        professional,
        "Permis Marseille",
        "mensuelle",
    )
    # The form's parameters as given (no page, no empty value), not a copy of its fields.
    assert saved.parameters == {
        "code_commune": ["13055"], "distance": ["10"], "q": ["permis"], "thematiques": ["mobilite"],
    }  # fmt: skip
    assert services.search_url(saved.parameters) == (
        "/recherche/?code_commune=13055&distance=10&q=permis&thematiques=mobilite"
    )


@pytest.mark.parametrize(
    ("query", "form", "message"),
    [
        ("?code_commune=13055&thematiques=pas-un-slug", {}, "« pas-un-slug » n'est pas une valeur"),
        ("?code_commune=99999", {}, "Commune inconnue : « 99999 »"),
        ("?distance=500&code_commune=13055", {}, "inférieure ou égale à 100"),
        ("?tri=distance", {}, "Indiquez au moins un lieu, des mots-clés ou un filtre"),
        ("?code_commune=13055", {"name": ""}, "Champ requis."),
        ("?code_commune=13055", {"name": "x" * 101}, "au plus 100 caractères"),
        ("?code_commune=13055", {"frequency": "hebdomadaire"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_with_its_reason(client, professional, query, form, message):
    client.force_login(professional)
    response = client.post(SAVE_URL + query, {"name": "Ma recherche", "frequency": "aucune"} | form)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not SavedSearch.objects.exists()


def test_a_search_that_cannot_be_saved_says_why_before_the_form(client, professional):
    client.force_login(professional)
    page = client.get(SAVE_URL + "?thematiques=pas-un-slug").content.decode()
    assert "Cette recherche ne peut pas être enregistrée" in page
    assert 'name="name"' not in page


def test_a_professional_keeps_at_most_so_many_searches(client, professional, monkeypatch):
    monkeypatch.setattr(services, "MAX_PER_OWNER", 2)
    _saved(professional), _saved(professional)
    _saved(UserFactory())  # another's do not count
    client.force_login(professional)
    response = client.post(SAVE_URL + "?q=permis", {"name": "Trois", "frequency": "aucune"})
    assert response.status_code == 400
    assert "Vous avez déjà 2 recherches enregistrées" in response.content.decode()
    assert SavedSearch.objects.filter(owner=professional).count() == 2


def test_saving_needs_an_account(client):
    response = client.post(SAVE_URL + "?q=permis", {"name": "Anonyme", "frequency": "aucune"})
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")
    assert not SavedSearch.objects.exists()


# « Mes recherches »: the owner only --------------------------------------------------------------


def test_mes_recherches_lists_its_owner_searches_only(client, professional):
    mine = _saved(professional, name="Permis autour de Marseille")
    _saved(UserFactory(), name="Recherche d'un collègue")
    client.force_login(professional)
    page = client.get("/comptes/recherches/").content.decode()
    assert "Permis autour de Marseille" in page and "Recherche d&#x27;un collègue" not in page
    assert 'href="/recherche/?code_commune=13055&amp;q=permis"' in page  # rerun
    assert f'action="/comptes/recherches/{mine.pk}/supprimer/"' in page


def test_a_search_no_longer_valid_is_shown_with_its_reason(client, professional):
    _saved(professional, parameters={"thematiques": ["disparue"]})
    client.force_login(professional)
    page = client.get("/comptes/recherches/").content.decode()
    assert "Cette recherche n'est plus valide : « disparue » n'est pas une valeur" in html.unescape(
        page
    )


def test_the_owner_changes_the_alert_and_turning_it_on_watches_from_now(client, professional):
    saved = _saved(professional, frequency=AlertFrequency.NONE)
    client.force_login(professional)
    moment = T0 + 40 * DAY
    response = _at(moment, client.post, f"/comptes/recherches/{saved.pk}/alerte/",
                   {"frequency": "15-jours"})  # fmt: skip
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.frequency == AlertFrequency.FORTNIGHTLY and saved.watched_since == moment

    client.post(f"/comptes/recherches/{saved.pk}/alerte/", {"frequency": "mensuelle"})
    saved.refresh_from_db()
    assert saved.frequency == AlertFrequency.MONTHLY and saved.watched_since == moment

    response = client.post(f"/comptes/recherches/{saved.pk}/alerte/", {"frequency": "chaque-jour"})
    saved.refresh_from_db()
    assert saved.frequency == AlertFrequency.MONTHLY
    assert "Choisissez une fréquence" in client.get(response["Location"]).content.decode()


def test_the_owner_deletes_a_search(client, professional):
    saved = _saved(professional)
    client.force_login(professional)
    response = client.post(f"/comptes/recherches/{saved.pk}/supprimer/")
    assert response.status_code == 302 and not SavedSearch.objects.exists()


def test_another_professional_can_neither_change_nor_delete_it(client, professional):
    saved = _saved(professional)
    client.force_login(UserFactory())
    assert (
        client.post(f"/comptes/recherches/{saved.pk}/alerte/", {"frequency": "aucune"}).status_code
        == 404
    )
    assert client.post(f"/comptes/recherches/{saved.pk}/supprimer/").status_code == 404
    saved.refresh_from_db()
    assert saved.frequency == AlertFrequency.FORTNIGHTLY


def test_anonymous_visitors_are_sent_to_log_in(client, professional):
    saved = _saved(professional)
    for url in ("/comptes/recherches/", f"/comptes/recherches/{saved.pk}/supprimer/"):
        response = client.post(url) if "supprimer" in url else client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    assert SavedSearch.objects.exists()


# The alerts job ----------------------------------------------------------------------------------


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, settings, caplog):
    """The search backend the job reads from (never a silent fallback to the database);
    `backend()` feeds Elasticsearch from the outbox, as the worker does."""
    if request.param == "database":
        settings.SEARCH_BACKEND = "database"
        yield lambda: None
        return
    index = request.getfixturevalue("elasticsearch")

    def catch_up():
        sync.sync_pending()
        index.refresh()

    yield catch_up
    assert "Elasticsearch ne répond pas" not in caplog.text


def _offer():
    """Before T0, a permis service in Marseille; after, a new one there, a new one in Lille (too
    far) and a new one in Marseille about housing (other words)."""
    old = _at(T0 - 30 * DAY, ServiceFactory, nom="Permis solidaire du Panier")
    new = _at(T0 + 3 * DAY, ServiceFactory, nom="Auto-école sociale de la Belle de Mai")
    _at(T0 + 3 * DAY, ServiceFactory, nom="Permis à Lille", code_insee="59350",
        commune="Lille", code_postal="59000", latitude=50.6333, longitude=3.0667)  # fmt: skip
    _at(T0 + 3 * DAY, ServiceFactory, nom="Hébergement d'urgence", description="Un toit.",
        thematiques=["logement-hebergement--louer-un-logement"])  # fmt: skip
    return old, new


def test_the_job_sends_the_new_service_once(professional, mails, backend):
    saved = _saved(professional)
    old, new = _offer()
    backend()

    [alert] = _alerts(mails, T0 + 16 * DAY)

    assert alert.to == ["conseillere@france-travail.fr"]
    assert alert.subject == "1 service nouveau ou mis à jour : « Permis »"
    assert f"- {new.nom} (nouveau) — {new.structure.nom}, Marseille" in alert.body
    assert f"http://testserver/services/{new.pk}/" in alert.body
    assert (
        old.nom not in alert.body and "Lille" not in alert.body and "Hébergement" not in alert.body
    )
    assert "http://testserver/recherche/?code_commune=13055&q=permis" in alert.body
    saved.refresh_from_db()
    assert saved.last_alert_at == T0 + 16 * DAY
    assert saved.watched_since == T0 + 16 * DAY - services.SETTLING

    assert _alerts(mails, T0 + 16 * DAY) == []  # the same run again
    assert _alerts(mails, T0 + 40 * DAY) == []  # due again, nothing new


def test_a_changed_service_is_sent_as_changed(professional, mails, backend):
    _saved(professional)
    old, _ = _offer()
    old.description = "Horaires élargis le samedi."
    _at(T0 + 20 * DAY, old.save)
    backend()

    [alert] = _alerts(mails, T0 + 21 * DAY)

    assert f"- {old.nom} (mis à jour)" in alert.body
    assert alert.subject.startswith("2 services nouveaux ou mis à jour")


def test_changes_of_the_last_minutes_wait_for_the_next_alert(professional, mails):
    _saved(professional)
    moment = T0 + 16 * DAY
    late = _at(moment - datetime.timedelta(minutes=5), ServiceFactory, nom="Permis tardif")
    assert _alerts(mails, moment) == []
    [alert] = _alerts(mails, moment + DAY)
    assert late.nom in alert.body


@pytest.mark.parametrize(
    ("frequency", "too_early", "due"),
    [
        (AlertFrequency.FORTNIGHTLY, 14 * DAY, 15 * DAY),
        (AlertFrequency.MONTHLY, 27 * DAY, 31 * DAY),  # March: one month is 31 days
    ],
)
def test_the_frequency_is_respected(professional, mails, frequency, too_early, due):
    _saved(professional, frequency=frequency)
    _at(T0 + DAY, ServiceFactory, nom="Permis du mois")
    assert _alerts(mails, T0 + too_early) == []
    assert _alerts(mails, T0 + due - datetime.timedelta(minutes=1)) == []
    assert len(_alerts(mails, T0 + due)) == 1
    _at(T0 + due + DAY, ServiceFactory, nom="Permis suivant")
    assert _alerts(mails, T0 + due + too_early) == []
    [alert] = _alerts(mails, T0 + 2 * due + DAY)
    assert "Permis suivant" in alert.body and "Permis du mois" not in alert.body


def test_no_alert_without_a_frequency_nor_for_an_inactive_account(professional, mails):
    _saved(professional, frequency=AlertFrequency.NONE)
    gone = _saved(UserFactory(is_active=False))
    _at(T0 + DAY, ServiceFactory, nom="Permis pour personne")
    assert _alerts(mails, T0 + 60 * DAY) == []
    gone.refresh_from_db()
    assert gone.last_alert_at is None


def test_nothing_new_sends_nothing_and_the_search_stays_due(professional, mails):
    saved = _saved(professional)
    assert _alerts(mails, T0 + 16 * DAY) == []
    saved.refresh_from_db()
    assert (saved.watched_since, saved.last_alert_at) == (T0, None)
    _at(T0 + 17 * DAY, ServiceFactory, nom="Permis arrivé ensuite")
    [alert] = _alerts(mails, T0 + 18 * DAY)
    assert "Permis arrivé ensuite" in alert.body


def test_one_run_reads_the_changed_services_once_for_all_its_searches(professional, mails):
    """Each search gets the changes since its own `watched_since`, from one read of the
    services for the whole run (not one per search: `modifie_le` has no index)."""
    _saved(professional, name="Depuis T0")
    later = _saved(UserFactory(email="collegue@cd13.fr"), name="Depuis T0 + 2 jours")
    SavedSearch.objects.filter(pk=later.pk).update(watched_since=T0 + 2 * DAY)
    _at(T0 + DAY, ServiceFactory, nom="Permis du premier jour")
    _at(T0 + 3 * DAY, ServiceFactory, nom="Permis du troisième jour")
    with CaptureQueriesContext(connection) as queries:
        alerts = _alerts(mails, T0 + 20 * DAY)
    by_name = {alert.to[0]: alert.body for alert in alerts}
    assert "Permis du premier jour" in by_name["conseillere@france-travail.fr"]
    assert "Permis du troisième jour" in by_name["conseillere@france-travail.fr"]
    assert "Permis du premier jour" not in by_name["collegue@cd13.fr"]
    assert "Permis du troisième jour" in by_name["collegue@cd13.fr"]
    read = [q for q in queries.captured_queries if 'FROM "catalogue_service"' in q["sql"]]
    assert len(read) == 1


def test_a_claim_taken_by_another_run_meanwhile_sends_nothing(professional, mails, monkeypatch):
    """Two runs at once: the other one claimed the alert while this one searched."""
    saved = _saved(professional)
    _at(T0 + DAY, ServiceFactory, nom="Permis disputé")
    searched = services.new_services

    def searched_while_another_run_claims(saved_search, changes):
        lines = searched(saved_search, changes)
        SavedSearch.objects.filter(pk=saved.pk).update(watched_since=T0 + 16 * DAY)
        return lines

    monkeypatch.setattr(services, "new_services", searched_while_another_run_claims)
    assert _alerts(mails, T0 + 16 * DAY) == []
    saved.refresh_from_db()
    assert saved.last_alert_at is None


def test_an_unusable_search_is_skipped_and_the_others_are_sent(professional, mails, caplog):
    broken = _saved(UserFactory(), parameters={"code_commune": ["13055"], "types": ["disparu"]})
    _saved(professional)
    _at(T0 + DAY, ServiceFactory, nom="Permis pour les autres")
    with caplog.at_level(logging.WARNING):
        [alert] = _alerts(mails, T0 + 16 * DAY)
    assert alert.to == ["conseillere@france-travail.fr"]
    assert f"Recherche enregistrée {broken.pk} inutilisable" in caplog.text


def test_a_long_alert_lists_the_first_services_and_links_to_the_rest(
    professional, mails, monkeypatch
):
    monkeypatch.setattr(services, "LISTED", 2)
    monkeypatch.setattr(services, "READ_SIZE", 2)  # the search read page by page
    _saved(professional)
    for n in range(5):
        _at(T0 + DAY, ServiceFactory, nom=f"Permis numéro {n}", latitude=43.2970 + n / 1000)
    [alert] = _alerts(mails, T0 + 16 * DAY)
    assert alert.subject.startswith("5 services nouveaux")
    assert alert.body.count("Permis numéro") == 2
    assert "Et 3 autres services : voyez-les dans la recherche." in alert.body


def test_the_job_runs_from_its_command(professional, mails):
    _saved(professional)
    _at(T0 + DAY, ServiceFactory, nom="Permis de la commande")
    with mails(execute=True), time_machine.travel(T0 + 16 * DAY, tick=False):
        call_command("saved_searches_alerts", stdout=(output := io.StringIO()))
    assert output.getvalue() == "1 alerte(s) envoyée(s).\n"
    assert len(mail.outbox) == 1


def test_the_alert_leaves_through_the_worker_with_its_unsubscribe_header(
    professional, mails, worker, smtp_server
):
    saved = _saved(professional)
    _at(T0 + DAY, ServiceFactory, nom="Permis par la poste")
    with mails(execute=True):
        _at(T0 + 16 * DAY, services.send_alerts)
    worker()
    [message] = smtp_server.received
    link = re.fullmatch(
        r"<(http://testserver/alertes/desabonnement/(\S+)/)>", message["List-Unsubscribe"]
    )
    assert services.of_unsubscribe_token(link.group(2)) == saved
    link = link.group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As written on the wire, not in RFC 2047 encoded words, which RFC 2369 readers do not decode.
    assert f"List-Unsubscribe: <{link}>".encode() in smtp_server.raw[0].replace(b"\r\n ", b" ")
    assert link in message.get_body(("plain",)).get_content()
    assert "Mes recherches et leurs alertes : http://testserver/comptes/recherches/" in (
        message.get_body(("plain",)).get_content()
    )


# Unsubscribing -----------------------------------------------------------------------------------


def _unsubscribe_path(saved):
    return services.unsubscribe_url(saved).removeprefix("http://testserver")


def test_the_unsubscribe_link_turns_the_alerts_off_without_login(professional, mails):
    saved = _saved(professional)
    client = Client(enforce_csrf_checks=True)  # a mail client's POST carries no CSRF token
    page = client.get(_unsubscribe_path(saved))
    assert (
        page.status_code == 200
        and "Ne plus recevoir les alertes de « Permis »" in page.content.decode()
    )
    saved.refresh_from_db()
    assert saved.frequency == AlertFrequency.FORTNIGHTLY  # a GET (a mail scanner) changes nothing

    done = client.post(_unsubscribe_path(saved))

    assert done.status_code == 200 and "Vous ne recevrez plus les alertes" in done.content.decode()
    saved.refresh_from_db()
    assert saved.frequency == AlertFrequency.NONE
    _at(T0 + DAY, ServiceFactory, nom="Permis après désabonnement")
    assert _alerts(mails, T0 + 60 * DAY) == []


def test_a_tampered_or_foreign_link_is_refused(client, professional):
    saved = _saved(professional)
    other = _saved(UserFactory(), name="Autre")
    value, timestamp, signature = _unsubscribe_path(saved).split("/")[-2].split(":")
    other_value = signing.dumps(other.pk, salt=services.UNSUBSCRIBE_SALT).split(":")[0]
    for bad in (
        f"{value}:{timestamp}:{signature[:-1]}{'B' if signature.endswith('A') else 'A'}",
        f"{other_value}:{timestamp}:{signature}",  # another search's id under this signature
        signing.dumps(other.pk, salt="actualisation.confirmer"),  # another kind of link
        "forge",
    ):
        response = client.post(f"/alertes/desabonnement/{bad}/")
        assert response.status_code == 404, bad
        assert "Ce lien n'est pas valide" in response.content.decode()
    assert set(SavedSearch.objects.values_list("frequency", flat=True)) == {"15-jours"}


def test_the_link_of_a_deleted_search_is_refused(client, professional):
    saved = _saved(professional)
    path = _unsubscribe_path(saved)
    saved.delete()
    assert client.get(path).status_code == 404
