"""The coordination dashboard on a small territory whose figures were computed by hand."""

from datetime import UTC, date, datetime

import pytest

from fiche_relais import dashboard
from fiche_relais.models import Decision, Etape, FicheRelais, Personne, SituationBloquee
from territoires.models import EPCI
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    PrescriptionFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 7, 15, 12, tzinfo=UTC)
PERIOD = dashboard.Period(date(2026, 1, 1), date(2026, 6, 30))


def at(month, day):
    return datetime(2026 if month > 0 else 2025, abs(month), day, 10, tzinfo=UTC)


@pytest.fixture
def territory():
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])  # Bouches-du-Rhône
    referent = MembreFactory().user
    structure = referent.memberships.get().structure

    def personne(name, commune, steps):
        p = Personne.objects.create(nom=name, prenom="X", commune_id=commune, cree_par=referent)
        for debut, fin in steps:
            Etape.objects.create(personne=p, referent=referent, structure=structure,
                                 dispositif="PLIE", contrat="plie", debut=debut, fin=fin)  # fmt: skip
        return p

    p1 = personne("Un", "13005", [(date(2026, 2, 1), None)])
    p2 = personne("Deux", "13005", [(date(2025, 10, 1), date(2026, 5, 1))])  # rupture
    p3 = personne("Trois", "13055", [(date(2026, 3, 10), date(2026, 7, 1))])
    p4 = personne("Quatre", "83016", [(date(2026, 2, 1), None)])  # Var: not ours

    permis = ServiceFactory(nom="Permis solidaire", thematiques=["mobilite--preparer-un-permis"])
    logement = ServiceFactory(
        nom="Logement passerelle", thematiques=["logement-hebergement--louer-un-logement"]
    )
    PrescriptionFactory(
        service=permis, commune_id="13005", envoyee_le=at(2, 1), rdv_le=at(2, 10), statut="rdv-fixe"
    )
    PrescriptionFactory(
        service=permis, commune_id="13005", envoyee_le=at(3, 1), rdv_le=at(3, 25), statut="rdv-fixe"
    )
    PrescriptionFactory(
        service=logement,
        commune_id="13055",
        envoyee_le=at(4, 1),
        statut="refusee",
        motif_refus="plus-de-places",
    )
    PrescriptionFactory(service=logement, commune_id="83016", envoyee_le=at(4, 1))  # Var
    PrescriptionFactory(service=permis, commune_id="13005", envoyee_le=at(-12, 1))  # before

    def fiche(p, sent, taken=None):
        FicheRelais.objects.create(
            personne=p, auteur=referent, structure_auteur=structure, envoyee_le=sent,
            statut="prise-en-charge" if taken else "envoyee", prise_en_charge_le=taken,
        )  # fmt: skip

    fiche(p1, at(2, 1), at(2, 5))
    fiche(p3, at(3, 1), at(3, 20))  # taken after 19 days: late
    fiche(p1, at(6, 20))  # waiting for 25 days: late
    fiche(p4, at(3, 1))  # Var

    def situation(p, motif, solved=None):
        s = SituationBloquee.objects.create(
            personne=p, motif=motif, situation="s", actions_menees="a", blocage="b", demande="d",
            signalee_par=coordinator, signalee_le=at(5, 2),
        )  # fmt: skip
        if solved is not None:
            Decision.objects.create(situation=s, solutions="x", qui_fait_quoi="y",
                                    echeance=date(2026, 9, 1), situation_resolue=solved,
                                    saisie_par=coordinator)  # fmt: skip

    situation(p1, "absence-offre", solved=True)
    situation(p3, "absence-offre")
    situation(p2, "duree", solved=False)
    return coordinator


def test_figures_match_the_hand_count(territory):
    figures = dashboard.figures(territory, PERIOD, now=NOW)

    assert figures["personnes"] == {"entrees": 2, "ruptures": 1}
    assert figures["premier_rdv"] == {
        "prescriptions": 3, "sous_15_jours": 1, "sous_un_mois": 2,
        "part_15_jours": 33, "part_un_mois": 67,
    }  # fmt: skip
    assert figures["fiches"] == {"envoyees": 3, "prises_en_charge": 2, "en_retard": 2}
    situations = figures["situations"]
    assert (situations["total"], situations["resolues"]) == (3, 1)
    assert dict(situations["par_motif"])["Absence d'offre"] == 2
    assert dict(situations["par_motif"])["Durée du parcours"] == 1
    assert sum(n for _, n in situations["par_motif"]) == 3
    assert figures["prescriptions"]["par_service"] == [
        ("Permis solidaire", 2),
        ("Logement passerelle", 1),
    ]
    assert dict(figures["prescriptions"]["par_thematique"]) == {
        "Mobilité": 2,
        "Logement et hébergement": 1,
    }
    assert figures["prescriptions"]["refus_plus_de_places"] == [("Logement passerelle", 1)]


def test_an_epci_filter_keeps_only_its_people(territory):
    other = EPCI.objects.filter(communes__departement_id="13").exclude(code="200054807").first()

    assert (
        dashboard.figures(territory, PERIOD, epci="200054807", now=NOW)["personnes"]["entrees"] == 2
    )
    empty = dashboard.figures(territory, PERIOD, epci=other.code, now=NOW)
    assert empty["personnes"]["entrees"] == 0 and empty["premier_rdv"]["prescriptions"] == 0


def test_page_charts_csv_and_refusals(client, territory):
    client.force_login(territory)
    page = client.get("/parcours/tableau-de-bord/", {"debut": "2026-01-01", "fin": "2026-06-30"})

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == 2 and "<rect" in html
    assert 'id="entrees">2<' in html
    csv_text = client.get(
        "/parcours/tableau-de-bord/", {"debut": "2026-01-01", "fin": "2026-06-30", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert "Prescriptions : Permis solidaire;2" in csv_text
    bad = client.get("/parcours/tableau-de-bord/", {"debut": "2026-06-30", "fin": "2026-01-01"})
    assert bad.status_code == 400 and "précède" in bad.content.decode()
    client.force_login(UserFactory())
    assert client.get("/parcours/tableau-de-bord/").status_code == 404
