"""The coordination dashboard on a small territory whose figures were computed by hand."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from fiche_relais import dashboard
from fiche_relais.models import Decision, FicheRelais
from territoires.models import EPCI
from tests.factories import (
    CoordinationFactory,
    MembreFactory,
    PrescriptionFactory,
    ServiceFactory,
    StructureFactory,
    UserFactory,
)
from tests.fiche_relais.factories import (
    EtapeFactory,
    FicheRelaisFactory,
    PersonneFactory,
    SituationFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 7, 15, 12, tzinfo=UTC)
PERIOD = dashboard.Period(date(2026, 1, 1), date(2026, 6, 30))


def at(month, day):
    return datetime(2026 if month > 0 else 2025, abs(month), day, 10, tzinfo=UTC)


@pytest.fixture
def territory():
    """The small territory of the hand count below (today: 15 July 2026)."""
    coordinator = UserFactory()
    CoordinationFactory(membres=[coordinator])  # Bouches-du-Rhône
    referent = MembreFactory().user
    structure = referent.memberships.get().structure

    def personne(name, commune, steps):
        p = PersonneFactory(nom=name, prenom="X", commune_id=commune, cree_par=referent)
        for debut, fin in steps:
            EtapeFactory(personne=p, referent=referent, structure=structure, debut=debut, fin=fin)
        return p

    p1 = personne("Un", "13005", [(date(2026, 2, 1), None)])
    p2 = personne("Deux", "13005", [(date(2025, 10, 1), date(2026, 5, 1))])  # rupture
    p3 = personne("Trois", "13055", [(date(2026, 3, 10), date(2026, 7, 1))])  # ended 14 days ago
    p4 = personne("Quatre", "83016", [(date(2026, 2, 1), None)])  # Var: not ours
    # An old étape ended long ago, the last one 5 days ago: not (yet) a rupture.
    personne("Cinq", "13005", [(date(2025, 1, 1), date(2025, 3, 1)),
                               (date(2025, 3, 1), date(2026, 7, 10))])  # fmt: skip
    personne("Six", "13005", [(date(2026, 6, 20), None)])  # her month runs until 20 July
    p7 = personne("Sept", "13005", [(date(2026, 5, 31), None)])  # her month ends on 30 June

    marseille = StructureFactory(nom="Tremplin", commune="Marseille")
    aubagne = StructureFactory(nom="Garage solidaire", commune="Aubagne")
    permis = ServiceFactory(
        nom="Permis solidaire", structure=marseille, commune="Marseille",
        thematiques=["mobilite--preparer-un-permis"],
    )  # fmt: skip
    homonyme = ServiceFactory(
        nom="Permis solidaire", structure=aubagne, commune="Aubagne",
        thematiques=["mobilite--preparer-un-permis"],
    )  # fmt: skip
    logement = ServiceFactory(
        nom="Logement passerelle", structure=marseille, commune="Marseille",
        thematiques=["logement-hebergement--louer-un-logement"],
    )  # fmt: skip

    def prescription(service, sent, statut="envoyee", rdv=None, who=None, commune="13005", **kw):
        names = {"nom": who.nom, "prenom": who.prenom} if who else {}
        PrescriptionFactory(service=service, commune_id=commune, envoyee_le=sent, statut=statut,
                            rdv_le=rdv, **names, **kw)  # fmt: skip

    prescription(permis, at(2, 1), "rdv-fixe", at(2, 10), who=p1)  # A: 9 days
    prescription(permis, at(3, 1), "rdv-fixe", at(3, 25))  # B: 24 days
    prescription(logement, at(4, 1), "refusee", who=p3, commune="13055",
                 motif_refus="plus-de-places")  # C: apart  # fmt: skip
    prescription(logement, at(4, 1), commune="83016")  # D: Var
    prescription(permis, at(-12, 1))  # E: before the period
    prescription(permis, at(4, 5), "rdv-fixe", at(4, 15), who=p3, commune="13055")  # F: 10 days
    prescription(logement, at(4, 20), "personne-recue", at(5, 1), who=p7)  # G: 11 days
    prescription(logement, at(6, 10), "personne-absente", at(6, 30), who=p7)  # H: 20 days
    prescription(permis, at(5, 1), "annulee")  # I: apart
    prescription(permis, at(5, 2), "expiree")  # J: apart
    prescription(permis, at(6, 25), "acceptee")  # K: due 10 July, no appointment
    prescription(logement, at(6, 30), "rdv-fixe", at(7, 20))  # M: future, due today: waiting
    prescription(homonyme, at(3, 3), "personne-recue", at(3, 10))  # N: 7 days

    def fiche(p, sent, taken=None):
        FicheRelaisFactory(
            etape=p.etapes.first(), envoyee=True, envoyee_le=sent,
            **({"prise_en_charge": True, "prise_en_charge_le": taken} if taken else {}),
        )  # fmt: skip

    fiche(p1, at(2, 1), at(2, 5))
    fiche(p3, at(3, 1), at(3, 20))  # taken after 19 days: late
    fiche(p1, at(6, 20))  # waiting for 25 days: late, and « risque de rupture »
    fiche(p4, at(3, 1))  # Var

    def situation(p, motif, solved=None):
        s = SituationFactory(personne=p, motif=motif, signalee_par=coordinator,
                             signalee_le=at(5, 2), decidee=solved is not None)  # fmt: skip
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

    # Entered in the period (first étape): Un, Trois, Six, Sept.
    assert figures["personnes"]["entrees"] == 4
    # Deux: no open étape since 1 May; Un: a fiche waiting since 20 June. Trois ended 14 days
    # ago, Cinq 5 days ago (her first étape, ended in 2025, does not count).
    assert figures["personnes"]["ruptures"] == {
        "total": 2, "sans_etape": 1, "relais_en_souffrance": 1,
    }  # fmt: skip
    # Un: 10 Feb ≤ 1 March; Trois: 15 April > 10 April; Sept: 30 June ≤ 30 June (her
    # appointment of 1 May was before her entry); Six: waiting until 20 July.
    assert figures["premier_rdv"] == {
        "personnes": 4, "mesurees": 3, "sous_un_mois": 2, "en_attente": 1, "part_un_mois": 67,
    }  # fmt: skip
    # Sent in the period here: A B C F G H I J K M N (11); C, I, J apart; on time: A F G N;
    # late: B (24 days), H (20 days), K (no appointment by 10 July); M waiting (future rdv).
    assert figures["rdv_15_jours"] == {
        "prescriptions": 11, "mesurees": 7, "sous_15_jours": 4, "en_attente": 1,
        "part_15_jours": 57, "annulees": 1, "refusees": 1, "expirees": 1,
    }  # fmt: skip
    assert figures["fiches"] == {"envoyees": 3, "prises_en_charge": 2, "en_retard": 2}
    situations = figures["situations"]
    assert (situations["total"], situations["traitees"], situations["resolues"]) == (3, 2, 1)
    assert dict(situations["par_motif"])["Absence d'offre"] == 2
    assert dict(situations["par_motif"])["Durée du parcours"] == 1
    assert sum(n for _, n in situations["par_motif"]) == 3
    assert figures["prescriptions"]["par_service"] == [
        ("Permis solidaire — Tremplin (Marseille)", 6),
        ("Logement passerelle — Tremplin (Marseille)", 4),
        ("Permis solidaire — Garage solidaire (Aubagne)", 1),
    ]
    assert dict(figures["prescriptions"]["par_thematique"]) == {
        "Mobilité": 7,
        "Logement et hébergement": 4,
    }
    assert figures["prescriptions"]["refus_plus_de_places"] == [
        ("Logement passerelle — Tremplin (Marseille)", 1)
    ]


def test_a_stalled_handover_is_a_rupture_exactly_when_its_fiche_says_so(territory):
    stalled = FicheRelais.objects.get(personne__nom="Un", statut="envoyee")

    assert stalled.alerte(now=NOW) == "risque de rupture"
    day_before = stalled.envoyee_le + timedelta(days=15)
    assert stalled.alerte(now=day_before) == "alerte"
    assert (
        dashboard.figures(territory, PERIOD, now=day_before)["personnes"]["ruptures"][
            "relais_en_souffrance"
        ]
        == 0
    )


@pytest.mark.parametrize(
    ("entree", "deadline"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 5, 31), date(2026, 6, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_one_month_after_entry_is_the_same_day_of_the_next_month(entree, deadline):
    assert dashboard.one_month_after(entree) == deadline


def test_an_epci_filter_keeps_only_its_people(territory):
    other = EPCI.objects.filter(communes__departement_id="13").exclude(code="200054807").first()

    assert (
        dashboard.figures(territory, PERIOD, epci="200054807", now=NOW)["personnes"]["entrees"] == 4
    )
    empty = dashboard.figures(territory, PERIOD, epci=other.code, now=NOW)
    assert empty["personnes"]["entrees"] == 0 and empty["rdv_15_jours"]["prescriptions"] == 0


@time_machine.travel(NOW, tick=False)
def test_page_charts_csv_and_refusals(client, territory):
    client.force_login(territory)
    page = client.get("/parcours/tableau-de-bord/", {"debut": "2026-01-01", "fin": "2026-06-30"})

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == 2 and "<rect" in html
    assert 'id="entrees">4<' in html and 'id="ruptures">2<' in html
    assert html.count("Comment est calculé ce chiffre ?") == len(dashboard.FORMULAS)
    assert "relais attend preneur depuis plus de 15 jours" in html
    csv_text = client.get(
        "/parcours/tableau-de-bord/", {"debut": "2026-01-01", "fin": "2026-06-30", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert "Prescriptions : Permis solidaire — Tremplin (Marseille);6" in csv_text
    assert "Prescriptions : Permis solidaire — Garage solidaire (Aubagne);1" in csv_text
    assert "Situations traitées (avec une décision);2" in csv_text
    bad = client.get("/parcours/tableau-de-bord/", {"debut": "2026-06-30", "fin": "2026-01-01"})
    assert bad.status_code == 400 and "précède" in bad.content.decode()
    client.force_login(UserFactory())
    assert client.get("/parcours/tableau-de-bord/").status_code == 404
