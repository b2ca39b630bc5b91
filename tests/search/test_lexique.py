"""The search lexicon: its data file, `find()` on conseillers' queries, its admin for
gestionnaires, and edits that search uses without a reindex."""

from django.core.management import call_command

import pytest

from catalogue.models import Membre
from catalogue.referentiels import REFERENTIELS
from search import lexique, ranking
from search.models import SynonymGroup
from search.text import tokens
from tests.factories import MembreFactory, UserFactory

ADMIN = "/admin/lexique/"
ROWS = lexique.read_rows()
KNOWN = {name: {slug for slug, _ in REFERENTIELS[name]} for name in REFERENTIELS}
DATA_INCLUSION = {
    "data·inclusion — définition de la thématique ": KNOWN["thematiques"],
    "data·inclusion — définition du public ": KNOWN["publics"],
    "data·inclusion — définition du type de service ": KNOWN["types"],
}
NAMED_SOURCES = (
    "service-public.fr — ", "France Travail — ", "caf.fr — ", "ameli.fr — ",
    "travail-emploi.gouv.fr — ", "Légifrance — ", "INSEE — définition : ", "ANLCI — ", "ANCT — ",
    "Larousse — ", "economie.gouv.fr — ", "ministère ", "France compétences — ",
    "arretonslesviolences.gouv.fr — ", "Action Logement — ", "Banque de France — ", "ADEME — ",
    "1jeune1solution.gouv.fr — ", "education.gouv.fr — ", "Psycom — ", "CNSA — ",
    "Drogues Info Service — ", "handicap.gouv.fr — ", "DIHAL — ", "securite-routiere.gouv.fr — ",
    "INRS — ", "ONISEP — ", "Bpifrance Création — ", "Apec — ", "Pix — ", "Monalisa — ",
)  # fmt: skip
GARDE = "famille--garde-denfants"
CV = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"
PERMIS = "mobilite--preparer-un-permis"
FRANCAIS = "lecture-ecriture-calcul--maitriser-le-francais"
# The words issue 15 names, each with a thématique its entry must point to ("" : none required).
REQUIRED = {
    "CV": CV, "curriculum vitae": CV, "lettre de motivation": CV,
    "FLE": FRANCAIS, "français langue étrangère": FRANCAIS, "apprendre le français": FRANCAIS,
    "cours de français": FRANCAIS, "alphabétisation": FRANCAIS, "illettrisme": FRANCAIS,
    "IAE": "trouver-un-emploi--maintien-dans-lemploi", "SIAE": "", "ACI": "",
    "atelier chantier d'insertion": "", "EI": "", "entreprise d'insertion": "", "ETTI": "",
    "AI": "", "association intermédiaire": "", "EA": "", "entreprise adaptée": "", "ESAT": "",
    "CAF": "", "CPAM": "sante--acces-aux-soins", "CMU": "sante--acces-aux-soins",
    "C2S": "sante--acces-aux-soins", "complémentaire santé solidaire": "sante--acces-aux-soins",
    "AME": "sante--acces-aux-soins", "RSA": "", "prime d'activité": "", "ASS": "", "AAH": "",
    "APL": "logement-hebergement--louer-un-logement", "CEJ": "",
    "contrat d'engagement jeune": "", "PLIE": "", "MDPH": "sante--constituer-un-dossier-mdph-invalidite",
    "RQTH": "", "mission locale": "", "France Travail": "", "Pôle emploi": "", "Cap emploi": "",
    "crèche": GARDE, "garde d'enfants": GARDE, "assistante maternelle": GARDE,
    "halte-garderie": GARDE, "code de la route": PERMIS, "permis de conduire": PERMIS,
    "auto-école": PERMIS, "permis": PERMIS,
    "violences conjugales": "famille--surmonter-conflits-separation-violence",
    "femmes victimes": "famille--surmonter-conflits-separation-violence",
    "aide alimentaire": "equipement-et-alimentation--alimentation",
    "épicerie solidaire": "equipement-et-alimentation--alimentation",
    "colis alimentaire": "equipement-et-alimentation--alimentation",
    "restos du cœur": "equipement-et-alimentation--alimentation",
    "banque alimentaire": "equipement-et-alimentation--alimentation",
    "dettes": "difficultes-financieres--situation-dendettement-surendettement",
    "surendettement": "difficultes-financieres--situation-dendettement-surendettement",
    "budget": "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
    "psy": "sante--sante-mentale", "psychologue": "sante--sante-mentale",
    "santé mentale": "sante--sante-mentale", "souffrance psychique": "sante--sante-mentale",
    "transport": "mobilite--mobilite-douce-partagee-collective",
    "vélo": "mobilite--mobilite-douce-partagee-collective",
    "voiture": "mobilite--acceder-a-un-vehicule", "scooter": "mobilite--acceder-a-un-vehicule",
    "mobilité": "mobilite--etre-accompagne-dans-son-parcours-mobilite",
    "logement": "logement-hebergement--louer-un-logement",
    "hébergement": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "115": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "SIAO": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "CHRS": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "domiciliation": "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    "numérique": "numerique--maitriser-les-fondamentaux-du-numerique",
    "informatique": "numerique--maitriser-les-fondamentaux-du-numerique",
    "ordinateur": "numerique--acquerir-un-equipement",
    "formation": "se-former--trouver-sa-formation", "qualification": "se-former--trouver-sa-formation",
    "VAE": "se-former--trouver-sa-formation",
    "handicap": "sante--constituer-un-dossier-mdph-invalidite",
    "addictions": "sante--addictions", "santé": "sante--acces-aux-soins",
}  # fmt: skip


def is_known_source(source):
    for prefix, slugs in DATA_INCLUSION.items():
        if source.startswith(prefix):
            return source.removeprefix(prefix) in slugs
    return source in {"lexique du portail", "glossaire des seeds"} or (
        source.startswith(NAMED_SOURCES) and len(source.split(" — ", 1)[-1]) > 3
    )


def entry_of(text):
    """The entries `find` gives for the whole of `text`, which must be one expression."""
    query = tokens(text)
    matches = lexique.find(query)
    assert matches and all((start, stop) == (0, len(query)) for start, stop, _ in matches), text
    return [entry for _, _, entry in matches]


def group(*expressions, thematiques=(), **fields):
    return SynonymGroup.objects.create(
        expressions="\n".join(expressions), thematiques=list(thematiques),
        source="lexique du portail", **fields,
    )  # fmt: skip


# The data file


def test_the_file_holds_at_least_300_entries_with_unique_keys():
    keys = [row.key for row in ROWS]

    assert len(ROWS) >= 300
    assert len(set(keys)) == len(keys)


def test_every_thematique_of_the_file_exists_in_data_inclusion_v1():
    assert not [
        (row.key, slug) for row in ROWS for slug in row.thematiques
        if slug not in KNOWN["thematiques"]
    ]  # fmt: skip
    assert "famille--garde" not in KNOWN["thematiques"]  # the check can fail


def test_everyday_words_reach_every_thematique():
    assert {slug for row in ROWS for slug in row.thematiques} == KNOWN["thematiques"]


def test_every_entry_names_a_source_of_a_known_kind():
    assert not [(row.key, row.source) for row in ROWS if not is_known_source(row.source)]


def test_every_expression_keeps_a_searchable_word():
    assert not [
        (row.key, expression) for row in ROWS for expression in row.expressions
        if not tokens(expression)
    ]  # fmt: skip
    assert all(row.expressions for row in ROWS)


def test_the_source_check_can_fail():
    assert is_known_source("glossaire des seeds")
    assert not is_known_source("Wikipédia — CV")
    assert not is_known_source("data·inclusion — définition de la thématique famille--garde")


# What the database holds and what find() answers


@pytest.mark.django_db
def test_the_migration_loaded_the_file_and_entries_are_analysed():
    loaded = lexique.entries()

    assert SynonymGroup.objects.filter(key__isnull=False).count() == len(ROWS)
    assert len(loaded) == len(ROWS)
    cv = next(entry for entry in loaded if entry.label == "CV")
    assert ("cv",) in cv.expressions and ("curriculum", "vita") in cv.expressions
    assert cv.thematiques == frozenset([CV]) and cv.source.startswith("data·inclusion")


@pytest.mark.django_db
@pytest.mark.parametrize("word", REQUIRED)
def test_the_words_of_the_field_are_in_the_lexicon(word):
    found = entry_of(word)

    if REQUIRED[word]:
        assert any(REQUIRED[word] in entry.thematiques for entry in found), word


@pytest.mark.django_db
def test_find_on_conseillers_queries():
    (cv,) = lexique.find(tokens("aide au CV"))
    (route,) = lexique.find(tokens("code de la route"))
    (creche,) = lexique.find(tokens("creche"))
    (fle,) = lexique.find(tokens("cours de FLE"))

    assert cv[:2] == (1, 2) and CV in cv[2].thematiques
    assert route[:2] == (0, 2) and PERMIS in route[2].thematiques
    assert creche[:2] == (0, 1) and GARDE in creche[2].thematiques
    assert fle[:2] == (0, 2) and FRANCAIS in fle[2].thematiques
    assert lexique.find(tokens("merci")) == [] and lexique.find([]) == []


@pytest.mark.django_db
def test_the_longest_expression_wins_and_matches_do_not_overlap():
    query = tokens("France Travail permis de conduire crèche Marseille")

    spans = [(start, stop, entry.label) for start, stop, entry in lexique.find(query)]

    # « France Travail », not « travail » (emploi); « permis de conduire », not « permis ».
    assert spans == [(0, 2, "France Travail"), (2, 4, "permis"), (4, 5, "garde d'enfants")]
    assert tokens("permis de conduire") == query[2:4]


@pytest.mark.django_db
def test_an_expression_of_several_entries_returns_each_on_the_same_span():
    SynonymGroup.objects.all().delete()
    first = group("atelier vélo", "vélo")
    second = group("cycles", "vélo", "bicyclette")
    group("atelier")

    matches = lexique.find(tokens("réparer son vélo"))
    longest = lexique.find(tokens("atelier vélo"))

    assert [(start, stop, entry.label) for start, stop, entry in matches] == [
        (1, 2, "atelier vélo"), (1, 2, "cycles")
    ]  # fmt: skip
    assert [entry.source for _, _, entry in matches] == [first.source, second.source]
    assert [(start, stop, entry.label) for start, stop, entry in longest] == [
        (0, 2, "atelier vélo")
    ]


@pytest.mark.django_db
def test_the_entry_whose_headword_it_is_wins():
    """« permis C » is « permis » once the lone letter is dropped: « permis » finds the entry
    whose first expression it is, not the heavy-goods licence's."""
    SynonymGroup.objects.all().delete()
    group("permis poids lourd", "permis C")
    group("permis", "permis de conduire")

    assert [entry.label for _, _, entry in lexique.find(tokens("permis"))] == ["permis"]


@pytest.mark.django_db
def test_inactive_entries_and_duplicate_spellings_are_left_out():
    SynonymGroup.objects.all().delete()
    group("crèche", "creche", "Crèches")
    group("nounou", active=False)

    (entry,) = lexique.entries()

    assert entry.expressions == (("crech",),)
    assert lexique.find(tokens("nounou")) == []


# Freshness: the process that saves at once, the others within RELOAD_AFTER


@pytest.mark.django_db
def test_entries_are_kept_in_memory_then_read_again(django_assert_num_queries, monkeypatch):
    lexique.entries()
    SynonymGroup.objects.filter(key="cv").update(expressions="CV\nCVthèque")  # another process

    with django_assert_num_queries(0):
        assert lexique.find(tokens("CVthèque")) == []
    monkeypatch.setattr(lexique, "RELOAD_AFTER", 0)

    assert [entry.label for _, _, entry in lexique.find(tokens("CVthèque"))] == ["CV"]


@pytest.mark.django_db
def test_a_save_in_this_process_is_used_at_once():
    lexique.entries()
    entry = SynonymGroup.objects.get(key="cv")
    entry.expressions += "\nCVthèque"
    entry.save()

    assert [entry.label for _, _, entry in lexique.find(tokens("CVthèque"))] == ["CV"]
    entry.delete()
    assert lexique.find(tokens("CVthèque")) == []


# load_lexique


@pytest.mark.django_db
def test_load_lexique_is_idempotent_and_keeps_admin_edits_unless_asked():
    edited = SynonymGroup.objects.get(key="cv")
    edited.expressions = "CV"
    edited.save()
    SynonymGroup.objects.filter(key="fle").delete()

    call_command("load_lexique")
    call_command("load_lexique")
    kept = SynonymGroup.objects.get(key="cv").expressions
    call_command("load_lexique", "--remplacer")

    assert SynonymGroup.objects.filter(key__isnull=False).count() == len(ROWS)
    assert SynonymGroup.objects.filter(key="fle").count() == 1
    assert kept == "CV"
    assert "curriculum vitae" in SynonymGroup.objects.get(key="cv").expressions


# The admin


@pytest.fixture
def gestionnaire(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def form(**fields):
    return {"expressions": "", "source": "lexique du portail", "active": "on", **fields}


@pytest.mark.django_db
def test_a_gestionnaire_lists_and_searches_the_lexicon(gestionnaire):
    listing = gestionnaire.get(ADMIN)
    found = gestionnaire.get(ADMIN, {"q": "nounou"}).content.decode()

    assert listing.status_code == 200
    assert "Lexique de la recherche" in gestionnaire.get("/admin/").content.decode()
    assert "nounou" in found and "Garde d’enfants" in found
    assert "curriculum vitae" not in found


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Membre.Role.MEMBRE, Membre.Role.ADMIN])
def test_a_structure_member_is_refused(client, role):
    client.force_login(MembreFactory(role=role).user)
    entry = SynonymGroup.objects.get(key="cv")

    assert client.get(ADMIN).status_code in {302, 403}
    assert client.get(f"{ADMIN}edit/{entry.pk}/").status_code in {302, 403}
    assert client.post(f"{ADMIN}new/", form(expressions="piège")).status_code in {302, 403}
    assert "Lexique de la recherche" not in client.get("/admin/").content.decode()
    assert not SynonymGroup.objects.filter(expressions="piège").exists()


@pytest.mark.django_db
def test_an_admin_edit_is_used_by_find_without_reindex(gestionnaire):
    entry = SynonymGroup.objects.get(key="garde-enfants")
    assert lexique.find(tokens("bébé-sitter")) == []  # loaded before the edit

    response = gestionnaire.post(
        f"{ADMIN}edit/{entry.pk}/",
        form(expressions=entry.expressions + "\nbébé-sitter", thematiques=[GARDE]),
    )

    assert response.status_code == 302
    (match,) = lexique.find(tokens("bébé-sitter"))
    assert match[:2] == (0, 2) and match[2].thematiques == frozenset([GARDE])


@pytest.mark.django_db
def test_a_gestionnaire_adds_an_entry(gestionnaire):
    response = gestionnaire.post(
        f"{ADMIN}new/", form(expressions="ressourcerie numérique\nEmmaüs Connect",
                             thematiques=["numerique--acquerir-un-equipement"])
    )  # fmt: skip

    assert response.status_code == 302
    added = SynonymGroup.objects.get(expressions__startswith="ressourcerie numérique")
    assert added.key is None
    assert [entry.label for _, _, entry in lexique.find(tokens("Emmaüs Connect"))] == [
        "ressourcerie numérique"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expressions": "  \n "}, "Indiquez au moins une expression."),
        ({"expressions": "crèche\nde la"}, "Sans aucun mot cherchable"),
        ({"expressions": "crèche", "thematiques": ["famille--garde"]}, "famille--garde"),
        ({"expressions": "crèche", "source": ""}, "Champ requis."),
    ],
)
def test_the_form_refuses_empty_expressions_and_unknown_thematiques(gestionnaire, fields, message):
    count = SynonymGroup.objects.count()

    response = gestionnaire.post(f"{ADMIN}new/", form(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert SynonymGroup.objects.count() == count


@pytest.mark.django_db
def test_no_concept_keeps_an_expression_another_one_makes_useless():
    """« formation qualifiante » beside « formation » (as strong) finds and scores nothing more:
    each alternative left costs both backends a clause on every service read."""
    useless = [
        (concept.words, alternative.tokens, other.tokens)
        for row in ROWS
        for expression in row.expressions
        for concept in ranking.analyse(expression)
        for alternative in concept.alternatives
        for other in concept.alternatives
        if other is not alternative
        and set(other.tokens) <= set(alternative.tokens)
        and other.strength >= alternative.strength
    ]
    assert not useless
    formation = ranking.analyse("formation")[0].alternatives
    assert ("format",) in [a.tokens for a in formation]
