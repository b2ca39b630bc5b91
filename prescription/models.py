"""The fiche unique de prescription: a person referred by a professional to a service."""

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Service, Structure
from config.text import folded_words
from config.workflow import TransitionLog, state_fields
from prescription.socle import FREINS
from prescription.states import OPEN, UNANSWERED, WAITING_FOR_RDV, Statut
from territoires.models import Commune

# The SPIE's commitment: a first appointment within 15 days of the referral (seed 001).
RDV_DELAY = timedelta(days=15)
# An unanswered prescription: the structure is reminded at J+10, it expires at J+30.
REMINDER_AFTER = timedelta(days=10)
EXPIRY_AFTER = timedelta(days=30)
# An appointment may be recorded late, up to a day after it took place, never earlier.
RDV_PAST_TOLERANCE = timedelta(days=1)


class MotifRefus(models.TextChoices):
    NON_ELIGIBLE = "non-eligible", "Personne non éligible"
    PLUS_DE_PLACES = "plus-de-places", "Plus de places"
    HORS_ZONE = "hors-zone", "Hors zone"
    INJOIGNABLE = "injoignable", "Personne injoignable"
    NON_INTERESSEE = "non-interessee", "Personne non intéressée"
    DOUBLON = "doublon", "Doublon"
    COORDONNEES_ERRONEES = "coordonnees-erronees", "Coordonnées du service erronées"
    SERVICE_FERME = "service-ferme", "Service fermé"
    AUTRE = "autre", "Autre"


def person_key(nom, prenom, date_naissance=None):
    """Identifies a person across prescriptions and parcours: folded names and the birth date
    if known."""
    birth = date_naissance.isoformat() if date_naissance else ""
    return "|".join([folded_words(nom), folded_words(prenom), birth])


def refresh_person_keys(model, batch_size=1000):
    """Recomputes the key of every row of `model` (an `Identite`, or its historical model in a
    migration) that has one, after the key's folding changed; anonymised rows keep none."""
    rows = list(model.objects.exclude(personne_cle="").only("nom", "prenom", "date_naissance"))
    for row in rows:
        row.personne_cle = person_key(row.nom, row.prenom, row.date_naissance)
    model.objects.bulk_update(rows, ["personne_cle"], batch_size=batch_size)


class Identite(models.Model):
    """Who a person is and how to reach her: shared by prescriptions and parcours, and the key
    that finds her again in both (« dites-le-nous une fois »)."""

    nom = models.CharField(max_length=100)
    prenom = models.CharField("prénom", max_length=100)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="commune de résidence"
    )
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    courriel = models.EmailField("adresse e-mail", blank=True)
    personne_cle = models.CharField(max_length=250, db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.identite_connue:
            self.personne_cle = person_key(self.nom, self.prenom, self.date_naissance)
        super().save(*args, **kwargs)

    @property
    def identite_connue(self):
        return True


class PrescriptionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(statut__in=OPEN)

    def en_retard(self):
        """In SQL, what `Prescription.en_retard` says of one: sent more than RDV_DELAY days ago
        (in local days) and still without an appointment."""
        first_day_on_time = timezone.localdate() - RDV_DELAY
        start = timezone.make_aware(datetime.combine(first_day_on_time, time.min))
        return self.filter(statut__in=WAITING_FOR_RDV, envoyee_le__lt=start)


class Prescription(Identite):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="prescriptions")
    prescripteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prescriptions"
    )
    structure_prescriptrice = models.ForeignKey(
        Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="structure prescriptrice",
    )  # fmt: skip
    telephone_prescripteur = models.CharField(
        "téléphone du prescripteur", max_length=20, blank=True
    )
    statut = models.CharField(max_length=20, choices=Statut, default=Statut.BROUILLON)
    cle_idempotence = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    # The person (besides her identity)
    identifiant_france_travail = models.CharField(
        "identifiant France Travail", max_length=20, blank=True
    )

    # The situation
    freins = models.JSONField("freins identifiés", default=list, blank=True)
    motif = models.TextField("motif de l'orientation")
    attentes = models.TextField("attentes de la personne", blank=True)
    conditions_remplies = models.BooleanField("la personne remplit les conditions d'accès")
    disponibilites = models.CharField("disponibilités", max_length=500, blank=True)

    # Consent, as collected by the prescripteur
    consentement_le = models.DateTimeField("consentement recueilli le")
    consentement_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # The answer
    motif_refus = models.CharField(max_length=30, choices=MotifRefus, blank=True)
    motif_refus_precisions = models.TextField(blank=True)
    rdv_le = models.DateTimeField("rendez-vous le", null=True, blank=True)
    rdv_lieu = models.CharField("lieu du rendez-vous", max_length=255, blank=True)
    a_apporter = models.TextField("à apporter", blank=True)
    message_prescripteur = models.TextField("message au prescripteur", blank=True)
    message_personne = models.TextField("message à la personne", blank=True)

    # Clocks
    cree_le = models.DateTimeField(auto_now_add=True)
    envoyee_le = models.DateTimeField(null=True, blank=True)
    relance_le = models.DateTimeField(null=True, blank=True)
    premiere_reponse_le = models.DateTimeField(null=True, blank=True)
    cloturee_le = models.DateTimeField(null=True, blank=True)
    anonymisee_le = models.DateTimeField(null=True, blank=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["statut", "envoyee_le"])]

    def __str__(self):
        return f"{self.prenom} {self.nom} → {self.service}"

    def get_absolute_url(self):
        return reverse("prescription:detail", args=[self.pk])

    @property
    def fuseau_horaire(self):
        """The time zone of the structure that receives the person (its appointment's)."""
        return self.service.structure.fuseau_horaire

    @property
    def identite_connue(self):
        """Once anonymised, no key: she cannot be found again."""
        return not self.anonymisee_le

    @property
    def rdv_attendu_avant(self):
        return timezone.localdate(self.envoyee_le + RDV_DELAY) if self.envoyee_le else None

    @property
    def telephone_pour_la_structure(self):
        """The prescripteur's phone as given, else their structure's; "" when neither."""
        structure = self.structure_prescriptrice
        return self.telephone_prescripteur or (structure.telephone if structure else "")

    @property
    def attend_un_rdv(self):
        """Still waiting for its appointment: the deadline (« RDV attendu avant ») applies; a
        closed prescription shows none."""
        return self.statut in WAITING_FOR_RDV

    @property
    def relance_prevue_le(self):
        """When the structure is reminded (J+10) if it has not answered; None otherwise."""
        if self.statut in UNANSWERED and self.envoyee_le and self.relance_le is None:
            return timezone.localdate(self.envoyee_le + REMINDER_AFTER)
        return None

    @property
    def expire_le(self):
        """When it expires without an answer (J+30); None once answered or closed."""
        if self.statut in UNANSWERED and self.envoyee_le:
            return timezone.localdate(self.envoyee_le + EXPIRY_AFTER)
        return None

    @property
    def en_retard(self):
        due = self.rdv_attendu_avant
        return bool(due and self.statut in WAITING_FOR_RDV and timezone.localdate() > due)

    @property
    def freins_labels(self):
        labels = dict(FREINS)
        return [labels.get(slug, slug) for slug in self.freins]


class Transition(TransitionLog):
    """The prescription's log (see `config.workflow`)."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state, to_state = state_fields(Statut)

    class Meta(TransitionLog.Meta):
        pass


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class PieceJointe(models.Model):
    """A file attached to a prescription, stored outside the web root and served only to
    those who may read the prescription."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="pieces_jointes"
    )
    fichier = models.FileField(upload_to="prescriptions/%Y/%m/", storage=private_storage)
    nom = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()

    class Meta:
        verbose_name = "pièce jointe"

    def __str__(self):
        return self.nom
