"""Fiche relais: drafting with consent, sending with the coordination in copy, versions,
taking over, the previous référent's month, alerts, the access log — and who reads what."""

from datetime import timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest
import time_machine

from fiche_relais import services
from fiche_relais.models import Consentement, Etape, FicheRelais, Lecture
from fiche_relais.template import empty_content

pytestmark = pytest.mark.django_db


def draft(world, **text):
    fiche = services.nouvelle_fiche(world["personne"], world["a"], world["structure_a"])
    content = empty_content() | {"historique": "Suivie au PLIE depuis 6 mois."} | text
    services.enregistrer(fiche, content, world["a"])
    return fiche


def sent(world, capture, **kwargs):
    fiche = draft(world)
    with capture(execute=True):
        services.envoyer(fiche, world["a"], consentement=world["consent"], **kwargs)
    return fiche


def test_sending_needs_consent_then_tells_recipient_and_coordination(
    world, django_capture_on_commit_callbacks
):
    fiche = draft(world)
    with pytest.raises(ValidationError, match="consentement"):
        services.envoyer(fiche, world["a"], destinataire=world["b"], consentement=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.envoyer(fiche, world["a"], destinataire=world["b"], consentement=world["consent"])

    fiche.refresh_from_db()
    assert fiche.statut == FicheRelais.Statut.ENVOYEE
    assert fiche.structure_destinataire == world["structure_b"]
    assert fiche.derniere_version.figee
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["b"].email, world["coordination"].email]
    )
    assert any(m.subject.startswith("Copie") for m in mail.outbox)


def test_a_sent_version_never_changes_corrections_are_new_versions(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    first = fiche.derniere_version.contenu

    services.enregistrer(fiche, first | {"preconisation": "Entrée en garantie jeunes."}, world["a"])

    v1, v2 = fiche.versions.all()
    assert v1.contenu == first and v2.numero == 2 and v2.figee
    from fiche_relais.template import changes

    assert changes(v1.contenu, v2.contenu) == [
        ("Préconisation explicitée", "", "Entrée en garantie jeunes.")
    ]


def test_prefill_takes_the_previous_fiche_and_the_current_step(
    world, django_capture_on_commit_callbacks
):
    sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])

    second = services.nouvelle_fiche(world["personne"], world["a"], world["structure_a"])

    assert second.derniere_version.contenu["historique"] == "Suivie au PLIE depuis 6 mois."
    assert second.derniere_version.contenu["date_entree"]


def test_taking_over_closes_the_step_and_the_previous_referent_reads_for_a_month(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    with pytest.raises(ValidationError):
        services.prendre_le_relais(fiche, world["inconnu"], dispositif="CEJ", contrat="cej")

    services.prendre_le_relais(fiche, world["b"], dispositif="CEJ", contrat=Etape.Contrat.CEJ)

    old, new = world["personne"].etapes.all()
    assert old.fin == timezone.localdate() and "Relais vers" in old.motif_fin
    assert (new.referent, new.fin, new.dispositif) == (world["b"], None, "CEJ")
    assert world["personne"].etape_en_cours == new
    from fiche_relais.access import can_read

    with time_machine.travel(timedelta(days=30)):
        assert can_read(world["a"], fiche)
    with time_machine.travel(timedelta(days=32)):
        assert not can_read(world["a"], fiche)
        assert can_read(world["b"], fiche) and can_read(world["coordination"], fiche)


def test_alert_after_seven_days_risk_of_rupture_after_fifteen(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    now = fiche.envoyee_le

    assert services.alerte(fiche, now + timedelta(days=7)) == ""
    assert services.alerte(fiche, now + timedelta(days=8)) == "alerte"
    assert services.alerte(fiche, now + timedelta(days=16)) == "risque de rupture"


# Who reads: the matrix --------------------------------------------------------------------------

READERS_OF_A_SENT_FICHE = {
    "a": 200, "b": 200, "coordination": 200, "coordination_var": 404, "collegue_a": 404,
    "admin_b": 404, "inconnu": 404,
}  # fmt: skip


@pytest.mark.parametrize("role, status", READERS_OF_A_SENT_FICHE.items())
def test_who_reads_a_fiche_sent_to_a_referent(
    client, world, role, status, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    client.force_login(world[role])

    response = client.get(f"/parcours/fiches/{fiche.pk}/")

    assert response.status_code == status
    assert ("Inès" in response.content.decode()) is (status == 200)
    assert Lecture.objects.filter(par=world[role]).exists() is (status == 200)


def test_admins_of_the_recipient_structure_read_until_someone_is_assigned(
    client, world, django_capture_on_commit_callbacks
):
    fiche = sent(
        world, django_capture_on_commit_callbacks, structure_destinataire=world["structure_b"]
    )
    client.force_login(world["admin_b"])
    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 200

    assert "Désigner le référent" in client.get(f"/parcours/fiches/{fiche.pk}/").content.decode()

    client.post(f"/parcours/fiches/{fiche.pk}/assigner/", {"referent": world["b"].pk})

    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 404
    client.force_login(world["b"])
    assert "Je prends le relais" in client.get(f"/parcours/fiches/{fiche.pk}/").content.decode()


def test_a_draft_is_the_authors_only(client, world):
    fiche = draft(world)
    for role in ("b", "coordination", "collegue_a"):
        client.force_login(world[role])
        assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 404
    client.force_login(world["a"])
    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 200


def test_revoked_consent_hides_the_fiche_but_from_author_and_coordination(
    client, world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    Consentement.objects.filter(pk=world["consent"].pk).update(revoque_le=timezone.now())

    for role, status in {"a": 200, "coordination": 200, "b": 404}.items():
        client.force_login(world[role])
        assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == status


def test_anonymous_goes_to_the_login_page(client, world, django_capture_on_commit_callbacks):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])

    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 302
    assert client.get(f"/parcours/personnes/{world['personne'].pk}/").status_code == 302


def test_printable_fiche_and_the_persons_list_of_reads(
    client, world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    client.force_login(world["b"])
    printed = client.get(f"/parcours/fiches/{fiche.pk}/fiche.pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    assert Lecture.objects.filter(par=world["b"]).count() == 1  # printing is reading
    reads_url = f"/parcours/personnes/{world['personne'].pk}/consultations.pdf"
    assert client.get(reads_url).status_code == 404  # the coordination prints it

    client.force_login(world["coordination"])
    listing = client.get(reads_url)

    assert listing.status_code == 200 and listing.content.startswith(b"%PDF")
    client.force_login(world["inconnu"])
    assert client.get(f"/parcours/fiches/{fiche.pk}/fiche.pdf").status_code == 404


def test_coordination_alerted_once_when_nobody_takes_over(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    mail.outbox.clear()
    sent_at = fiche.envoyee_le

    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_coordination(sent_at + timedelta(days=6)) == 0
        assert services.alert_coordination(sent_at + timedelta(days=7, minutes=1)) == 1
        assert services.alert_coordination(sent_at + timedelta(days=8)) == 0

    assert [m.to for m in mail.outbox] == [[world["coordination"].email]]
    assert "n'a pas été prise en charge" in mail.outbox[0].body


def test_prefill_gives_the_current_and_previous_referents_contacts(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world["b"])
    services.prendre_le_relais(fiche, world["b"], dispositif="CEJ", contrat=Etape.Contrat.CEJ)

    next_fiche = services.nouvelle_fiche(world["personne"], world["b"], world["structure_b"])

    content = next_fiche.derniere_version.contenu
    assert (
        world["b"].email in content["contact_referent"]
        and "Mission locale" in content["contact_referent"]
    )
    assert world["a"].email in content["contact_precedent"]
