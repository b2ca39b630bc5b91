"""Keeping the offer true: monthly digests, quality tasks opened by referral outcomes, review
campaigns of the coordination. The freshness rules themselves are in `catalogue.fraicheur`."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Coordination
from catalogue.models import Service, Structure
from prescription.models import MotifRefus, Prescription


class Rappel(models.Model):
    """The monthly digest sent to a structure (its admins, else its public e-mail; one a month
    at most)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="rappels")
    mois = models.DateField(help_text="Premier jour du mois du rappel.")
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    # Set by the worker once the message left (actualisation.tasks.send_digest), never before.
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    services = models.PositiveIntegerField("services à actualiser")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["structure", "mois"], name="un_rappel_par_mois")
        ]

    def __str__(self):
        return f"Rappel {self.mois:%m/%Y} à {self.structure}"


class TacheQualite(models.Model):
    """A listing to check, opened by a referral refused for a reason that says the listing is
    wrong, or by anyone's « Signaler une erreur » on the public page (`SIGNALEMENT`, with
    `details`); closed when the structure edits or confirms the service, or says it corrected
    it or found nothing wrong (`corrigee`).

    `courriel_signalement`, the reporter's address (personal data), serves only to tell them
    the error is corrected: it is erased when the task closes."""

    MOTIFS = [MotifRefus.COORDONNEES_ERRONEES, MotifRefus.SERVICE_FERME, MotifRefus.PLUS_DE_PLACES]
    SIGNALEMENT = "signalement"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="taches_qualite")
    prescription = models.ForeignKey(
        Prescription, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    motif = models.CharField(
        max_length=30, choices=[*MotifRefus.choices, (SIGNALEMENT, "Erreur signalée sur la fiche")]
    )
    details = models.TextField("ce qui ne va pas", blank=True, max_length=2000)
    courriel_signalement = models.EmailField(
        "adresse de la personne qui a signalé", blank=True, editable=False
    )
    ouverte_le = models.DateTimeField(default=timezone.now)
    fermee_le = models.DateTimeField(null=True, blank=True)
    corrigee = models.BooleanField("corrigée", null=True)
    fermee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "tâche qualité"
        ordering = ["-ouverte_le"]

    def __str__(self):
        return f"{self.service} : {self.get_motif_display()}"


class Campagne(models.Model):
    """A coordination asks the structures of a territory to review their services."""

    coordination = models.ForeignKey(Coordination, on_delete=models.CASCADE, related_name="+")
    nom = models.CharField(max_length=150)
    territoire = models.CharField(
        max_length=9, help_text="Code du département ou SIREN de l'EPCI, dans le territoire."
    )
    thematiques = models.JSONField(default=list, blank=True)
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    envoyee_le = models.DateTimeField(default=timezone.now)
    relancee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-envoyee_le"]

    def __str__(self):
        return self.nom


class CampagneStructure(models.Model):
    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="structures")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    services = models.ManyToManyField(Service, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campagne", "structure"], name="une_fois_par_campagne")
        ]

    def __str__(self):
        return f"{self.campagne} : {self.structure}"
