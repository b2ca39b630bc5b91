import random
import sys
import threading

import pytest

from config.text import fold, folded_words
from search import text
from search.text import normalize, tokens


def test_accents_case_elisions_and_plurals_give_the_same_tokens():
    assert tokens("Les HÉBERGEMENTS d'urgence") == tokens("hebergement urgence")
    assert tokens("l'accès aux droits") == tokens("Accès droit")
    assert normalize("Chevaux") == normalize("cheval")


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Bœrsch", "boersch"),
        ("Ørsted", "orsted"),
        ("Æsir", "aesir"),
        ("Łucja", "lucja"),
        ("Straße", "strasse"),
        ("Đà Nẵng", "da nang"),
        ("Nguyễn Thị", "nguyen thi"),
        ("Işık", "isik"),
        ("İstanbul", "istanbul"),
        ("L’Haÿ-les-Roses", "l'hay-les-roses"),
    ],
)
def test_fold_transliterates_every_latin_letter(written, folded):
    assert fold(written) == folded


def test_folded_words_drop_punctuation():
    assert folded_words("L'Île-d’Yeu  (Vendée)") == "l ile d yeu vendee"


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("moto", "motos"),
        ("vélo", "vélos"),
        ("bureau", "bureaux"),
        ("cheval", "chevaux"),
        ("jeu", "jeux"),
        ("trou", "trous"),
        ("emploi", "emplois"),
        ("cheveu", "cheveux"),
        ("pneu", "pneus"),
        ("lieu", "lieux"),
        ("numéro", "numéros"),
        ("ado", "ados"),
        ("épi", "épis"),
        ("menu", "menus"),
        ("tissu", "tissus"),
        ("bijou", "bijoux"),
        ("journal", "journaux"),
        ("enfant", "enfants"),
        ("café", "cafés"),
        ("aide", "aides"),
        ("mobilité", "mobilités"),
        ("Œuf", "œufs"),
        ("bus", "bus"),
        ("os", "os"),
        ("gaz", "gaz"),
        ("prix", "prix"),
        ("heureux", "heureuses"),
    ],
)
def test_a_word_and_its_plural_give_the_same_token(singular, plural):
    assert len(tokens(singular)) == 1
    assert tokens(singular) == tokens(plural)


def test_short_words_keep_their_last_letter():
    assert tokens("bus os gaz") == ["bus", "os", "gaz"]
    assert len({*tokens("bus"), *tokens("but"), *tokens("bu")}) == 3


def test_transliterated_words_match_what_people_type():
    assert tokens("Ørsted") == tokens("orsted") == ["orsted"]
    assert tokens("Bœrsch") == tokens("boersch")
    assert tokens("Łódź") == tokens("lodz")


def test_stop_words_and_punctuation_are_dropped():
    assert tokens("le, la, les : de !") == []
    assert tokens("Garde d’enfants (0-3 ans)") == ["gard", "enfant", "0", "3", "an"]


def test_elisions_with_either_apostrophe():
    expected = tokens("ecole")
    for written in ("l'école", "l’école", "d'école", "qu’école", "jusqu'école", "lorsqu’école"):
        assert tokens(written) == expected, written


def test_different_words_stay_different():
    assert normalize("logement") != normalize("emploi")
    assert tokens("") == tokens(None) == []


def test_ligatures_and_typographic_punctuation():
    assert tokens("Cœur de l’Île « ici »") == tokens("coeur ile ici")


def test_the_stored_url_is_the_service_page(db):
    from search.documents import payload
    from tests.factories import ServiceFactory

    service = ServiceFactory()
    assert payload(service)["url"] == service.get_absolute_url()


def test_emoji_and_pictographs_are_no_words():
    assert tokens("🙂🚲 ♥ ★ ➜") == []
    assert tokens("vélo 🚲") == tokens("velo")


def test_threads_stem_their_own_words(monkeypatch):
    """Snowball's stemmer keeps the word it works on: threads (a threaded server, the cluster
    bench's clients) sharing one mixed their words up or crashed."""
    # No cache: every word is stemmed, and threads switch as often as Python lets them.
    monkeypatch.setattr(text, "_word_pairs", text._word_pairs.__wrapped__)
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    rng = random.Random(16)
    suffixes = ["ement", "ations", "issaient", "erions", "eusement", "ités", "ances"]
    lists = [
        [
            f"{''.join(rng.choices('abcdefghilmnoprstu', k=6))}{rng.choice(suffixes)}"
            for _ in range(3000)
        ]
        for _ in range(8)
    ]
    expected = [[text.tokens(word)[0] for word in words] for words in lists]  # one thread
    results = [None] * len(lists)

    def stem(number):
        results[number] = [text.tokens(word)[0] for word in lists[number]]

    threads = [threading.Thread(target=stem, args=(n,)) for n in range(len(lists))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)

    assert results == expected
