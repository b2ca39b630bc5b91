"""The e-mails about structures (their members, their services from a model), one class each
(see `notifications.base`)."""

from django.conf import settings
from django.urls import reverse

from notifications.base import Notification


class Invitation(Notification):
    """To the invited address; `url` is the signed link that accepts the invitation."""

    label = "Invitation à rejoindre une structure"
    template = "catalogue/emails/invitation.txt"
    subject_format = (
        "Invitation à rejoindre {invitation.structure} sur le portail de l'offre d'insertion"
    )

    def __init__(self, invitation, url):
        super().__init__(invitation=invitation, url=url, days=settings.INVITATION_MAX_AGE_DAYS)

    def recipients(self):
        return [self.invitation.email]


class DemandeAdhesion(Notification):
    """To those who decide (`deciders`): someone asks to join the structure."""

    label = "Demande pour rejoindre votre structure"
    template = "catalogue/emails/demande_adhesion.txt"
    subject_format = "{demande.user} demande à rejoindre {demande.structure}"

    def __init__(self, demande, deciders, url):
        super().__init__(demande=demande, deciders=deciders, url=url)

    def recipients(self):
        return [decider.email for decider in self.deciders]

    def link(self):
        return reverse("membres", args=[self.demande.structure_id])


class DemandeDecidee(Notification):
    label = "Réponse à votre demande pour rejoindre une structure"
    template = "catalogue/emails/demande_decidee.txt"
    subject_format = "Votre demande pour rejoindre {demande.structure}"

    def __init__(self, demande, accepted, url):
        super().__init__(demande=demande, accepted=accepted, url=url)

    def recipients(self):
        return [self.demande.user.email]

    def link(self):
        return reverse("accounts:espace")


class ValidationDemandee(Notification):
    """To the structure's moderators (`emails`): a structure created by a professional, or a
    claim to be the first admin of a structure without one, waits for their validation."""

    label = "Structure ou administrateur à valider"
    template = "catalogue/emails/validation_demandee.txt"

    def __init__(self, demande, emails, url):
        super().__init__(demande=demande, emails=emails, url=url)

    def recipients(self):
        return self.emails

    def subject(self):
        what = "Nouvelle structure" if self.demande.creation else "Premier administrateur"
        return f"{what} à valider : {self.demande.structure}"

    def link(self):
        return reverse("catalogue:moderation")


class ServiceARelire(Notification):
    """To the structure's admins (`emails`): a member's new service waits for their review
    (« publication après relecture »)."""

    label = "Service à relire avant publication"
    template = "catalogue/emails/service_a_relire.txt"
    subject_format = "Service à relire avant publication : {service}"

    def __init__(self, service, author, emails, url):
        super().__init__(service=service, author=author, emails=emails, url=url)

    def recipients(self):
        return self.emails

    def link(self):
        return reverse("catalogue:moderation")


class ServiceRelu(Notification):
    """To the member who submitted the service (`email`): published, or back to draft."""

    label = "Votre service a été relu"
    template = "catalogue/emails/service_relu.txt"

    def __init__(self, service, accepted, email):
        super().__init__(service=service, accepted=accepted, email=email)

    def recipients(self):
        return [self.email]

    def subject(self):
        verdict = "publié" if self.accepted else "renvoyé en brouillon"
        return f"Votre service {self.service} est {verdict}"


class ModeleModifie(Notification):
    """To the admins of a copy's structure: its model changed, the new values (`proposals`)
    await their decision, field by field, on the page of the link."""

    label = "Modifications proposées par un modèle de service"
    template = "catalogue/emails/modele_modifie.txt"
    subject_format = "Le modèle « {service.modele} » a changé : à accepter ou refuser"

    def __init__(self, service, proposals, admins):
        super().__init__(service=service, proposals=proposals, admins=admins)

    def recipients(self):
        return [admin.email for admin in self.admins]

    def link(self):
        return reverse("modeles_propositions", args=[self.service.pk])
