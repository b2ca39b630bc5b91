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
    fiche = services.nouvelle_fiche(world.personne, world.referent_depart, world.structure_depart)
    content = empty_content() | {"historique": "Suivie au PLIE depuis 6 mois."} | text
    services.enregistrer(fiche, content, world.referent_depart)
    return fiche


def sent(world, capture, fiche=None, **kwargs):
    """`fiche` (a new draft if None) sent by the departure référent with the person's consent."""
    fiche = fiche or draft(world)
    with capture(execute=True):
        services.envoyer(fiche, world.referent_depart, consentement=world.consentement, **kwargs)
    return fiche


def test_sending_needs_consent_then_tells_recipient_and_coordination(
    world, django_capture_on_commit_callbacks
):
    fiche = draft(world)
    with pytest.raises(ValidationError, match="consentement"):
        services.envoyer(
            fiche, world.referent_depart, destinataire=world.referent_arrivee, consentement=None
        )

    sent(world, django_capture_on_commit_callbacks, fiche, destinataire=world.referent_arrivee)

    fiche.refresh_from_db()
    assert fiche.statut == FicheRelais.Statut.ENVOYEE
    assert fiche.structure_destinataire == world.structure_arrivee
    assert fiche.derniere_version.figee
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.referent_arrivee.email, world.coordinateur.email]
    )
    assert any(m.subject.startswith("Copie") for m in mail.outbox)


def test_a_sent_version_never_changes_corrections_are_new_versions(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    first = fiche.derniere_version.contenu

    services.enregistrer(
        fiche, first | {"preconisation": "Entrée en garantie jeunes."}, world.referent_depart
    )

    v1, v2 = fiche.versions.all()
    assert v1.contenu == first and v2.numero == 2 and v2.figee
    from fiche_relais.template import changes

    assert changes(v1.contenu, v2.contenu) == [
        ("Préconisation explicitée", "", "Entrée en garantie jeunes.")
    ]


def test_prefill_takes_the_previous_fiche_and_the_current_step(
    world, django_capture_on_commit_callbacks
):
    sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)

    second = services.nouvelle_fiche(world.personne, world.referent_depart, world.structure_depart)

    assert second.derniere_version.contenu["historique"] == "Suivie au PLIE depuis 6 mois."
    assert second.derniere_version.contenu["date_entree"]


def test_taking_over_closes_the_step_and_the_previous_referent_reads_for_a_month(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    with pytest.raises(ValidationError):
        services.prendre_le_relais(fiche, world.inconnu, dispositif="CEJ", contrat="cej")

    services.prendre_le_relais(
        fiche, world.referent_arrivee, dispositif="CEJ", contrat=Etape.Contrat.CEJ
    )

    old, new = world.personne.etapes.all()
    assert old.fin == timezone.localdate() and "Relais vers" in old.motif_fin
    assert (new.referent, new.fin, new.dispositif) == (world.referent_arrivee, None, "CEJ")
    assert world.personne.etape_en_cours == new
    from fiche_relais.access import can_read

    with time_machine.travel(timedelta(days=30)):
        assert can_read(world.referent_depart, fiche)
    with time_machine.travel(timedelta(days=32)):
        assert not can_read(world.referent_depart, fiche)
        assert can_read(world.referent_arrivee, fiche) and can_read(world.coordinateur, fiche)


def test_alert_after_seven_days_risk_of_rupture_after_fifteen(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    now = fiche.envoyee_le

    assert fiche.alerte(now + timedelta(days=7)) == ""
    assert fiche.alerte(now + timedelta(days=8)) == "alerte"
    assert fiche.alerte(now + timedelta(days=16)) == "risque de rupture"


# Who reads: the matrix --------------------------------------------------------------------------

READERS_OF_A_SENT_FICHE = {
    "referent_depart": 200, "referent_arrivee": 200, "coordinateur": 200, "coordinateur_var": 404, "collegue_depart": 404,
    "admin_arrivee": 404, "inconnu": 404,
}  # fmt: skip


@pytest.mark.parametrize("role, status", READERS_OF_A_SENT_FICHE.items())
def test_who_reads_a_fiche_sent_to_a_referent(
    client, world, role, status, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    client.force_login(getattr(world, role))

    response = client.get(f"/parcours/fiches/{fiche.pk}/")

    assert response.status_code == status
    assert ("Inès" in response.content.decode()) is (status == 200)
    assert Lecture.objects.filter(par=getattr(world, role)).exists() is (status == 200)


def test_admins_of_the_recipient_structure_read_until_someone_is_assigned(
    client, world, django_capture_on_commit_callbacks
):
    fiche = sent(
        world, django_capture_on_commit_callbacks, structure_destinataire=world.structure_arrivee
    )
    client.force_login(world.admin_arrivee)
    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 200

    assert "Désigner le référent" in client.get(f"/parcours/fiches/{fiche.pk}/").content.decode()

    client.post(f"/parcours/fiches/{fiche.pk}/assigner/", {"referent": world.referent_arrivee.pk})

    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 404
    client.force_login(world.referent_arrivee)
    assert "Je prends le relais" in client.get(f"/parcours/fiches/{fiche.pk}/").content.decode()


def test_a_draft_is_the_authors_only(client, world):
    fiche = draft(world)
    for role in ("referent_arrivee", "coordinateur", "collegue_depart"):
        client.force_login(getattr(world, role))
        assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 404
    client.force_login(world.referent_depart)
    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 200


def test_revoked_consent_hides_the_fiche_but_from_author_and_coordination(
    client, world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    Consentement.objects.filter(pk=world.consentement.pk).update(revoque_le=timezone.now())

    for role, status in {
        "referent_depart": 200,
        "coordinateur": 200,
        "referent_arrivee": 404,
    }.items():
        client.force_login(getattr(world, role))
        assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == status


def test_anonymous_goes_to_the_login_page(client, world, django_capture_on_commit_callbacks):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)

    assert client.get(f"/parcours/fiches/{fiche.pk}/").status_code == 302
    assert client.get(f"/parcours/personnes/{world.personne.pk}/").status_code == 302


def test_printable_fiche_and_the_persons_list_of_reads(
    client, world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    client.force_login(world.referent_arrivee)
    printed = client.get(f"/parcours/fiches/{fiche.pk}/fiche.pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    assert Lecture.objects.filter(par=world.referent_arrivee).count() == 1  # printing is reading
    reads_url = f"/parcours/personnes/{world.personne.pk}/consultations.pdf"
    assert client.get(reads_url).status_code == 404  # the coordination prints it

    client.force_login(world.coordinateur)
    listing = client.get(reads_url)

    assert listing.status_code == 200 and listing.content.startswith(b"%PDF")
    client.force_login(world.inconnu)
    assert client.get(f"/parcours/fiches/{fiche.pk}/fiche.pdf").status_code == 404


def test_coordination_alerted_once_when_nobody_takes_over(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    mail.outbox.clear()
    sent_at = fiche.envoyee_le

    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_coordination(sent_at + timedelta(days=6)) == 0
        assert services.alert_coordination(sent_at + timedelta(days=7, minutes=1)) == 1
        assert services.alert_coordination(sent_at + timedelta(days=8)) == 0

    assert [m.to for m in mail.outbox] == [[world.coordinateur.email]]
    assert "n'a pas été prise en charge" in mail.outbox[0].body


def test_prefill_gives_the_current_and_previous_referents_contacts(
    world, django_capture_on_commit_callbacks
):
    fiche = sent(world, django_capture_on_commit_callbacks, destinataire=world.referent_arrivee)
    services.prendre_le_relais(
        fiche, world.referent_arrivee, dispositif="CEJ", contrat=Etape.Contrat.CEJ
    )

    next_fiche = services.nouvelle_fiche(
        world.personne, world.referent_arrivee, world.structure_arrivee
    )

    content = next_fiche.derniere_version.contenu
    assert (
        world.referent_arrivee.email in content["contact_referent"]
        and "Mission locale" in content["contact_referent"]
    )
    assert world.referent_depart.email in content["contact_precedent"]
