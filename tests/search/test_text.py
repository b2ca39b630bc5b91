from search.text import normalize, tokens


def test_accents_case_elisions_and_plurals_give_the_same_tokens():
    assert tokens("Les HÉBERGEMENTS d'urgence") == tokens("hebergement urgence")
    assert tokens("l'accès aux droits") == tokens("Accès droit")
    assert normalize("Chevaux") == normalize("cheval")


def test_stop_words_and_punctuation_are_dropped():
    assert tokens("le, la, les : de !") == []
    assert tokens("Garde d’enfants (0-3 ans)") == ["gard", "enfant", "0", "3", "an"]


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
