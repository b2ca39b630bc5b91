"""The parcours of a person accompanied in the SPIE, and the fiches relais between its étapes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Structure
from config.dates import local
from config.french import de
from config.workflow import TransitionLog, state_fields
from fiche_relais.states import PENDING, FicheRelaisStatut, SituationStatut
from prescription.models import Identite, private_storage

# The previous référent keeps reading the fiche this long after the next one took over.
PREVIOUS_REFERENT_ACCESS = timedelta(days=31)


class Personne(Identite):
    """A person accompanied: minimal identity, where she lives, how to reach her."""

    dernier_contact = models.DateField("dernier contact", null=True, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "personne accompagnée"
        verbose_name_plural = "personnes accompagnées"
        ordering = ["nom", "prenom"]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def get_absolute_url(self):
        return reverse("fiche_relais:personne", args=[self.pk])

    @property
    def etape_en_cours(self):
        return self.etapes.filter(fin=None).order_by("-debut", "-pk").first()


class Etape(models.Model):
    """One step of a parcours, with its référent d'étape."""

    class Contrat(models.TextChoices):
        CER = "cer", "CER (contrat d'engagement réciproque)"
        PPAE = "ppae", "PPAE (projet personnalisé d'accès à l'emploi)"
        CEJ = "cej", "CEJ (contrat d'engagement jeune)"
        PACEA = "pacea", "PACEA"
        PLIE = "plie", "Contrat PLIE"
        AUTRE = "autre", "Autre"

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="etapes")
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="etapes_suivies",
        verbose_name="référent d'étape",
    )  # fmt: skip
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+")
    dispositif = models.CharField(max_length=150)
    contrat = models.CharField("type de contrat", max_length=10, choices=Contrat)
    debut = models.DateField("début", default=timezone.localdate)
    fin = models.DateField(null=True, blank=True)
    motif_fin = models.CharField("motif de fin", max_length=255, blank=True)

    class Meta:
        verbose_name = "étape"
        ordering = ["debut", "pk"]

    def __str__(self):
        return f"{self.dispositif} ({self.structure}), depuis le {self.debut:%d/%m/%Y}"


class Consentement(models.Model):
    """The person's agreement to share her fiche: how, when, who collected it, for what."""

    class Mode(models.TextChoices):
        SIGNATURE = "signature", "Signature à l'écran"
        SCAN = "scan", "Document signé numérisé"
        ACCORD = "accord", "Accord oral enregistré"

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="consentements")
    mode = models.CharField(max_length=10, choices=Mode)
    signature = models.TextField(blank=True, help_text="Signature dessinée (image en data URL).")
    document = models.FileField(
        upload_to="consentements/%Y/%m/", blank=True, storage=private_storage
    )
    portee = models.TextField("portée", default="Partage de la fiche relais avec le référent "
                              "d'étape suivant et la coordination SPIE.")  # fmt: skip
    recueilli_le = models.DateTimeField(default=timezone.now)
    recueilli_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)
    revoque_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="révoqué par",
    )  # fmt: skip
    motif_revocation = models.TextField("motif de la révocation", blank=True)

    class Meta:
        ordering = ["-recueilli_le"]

    def __str__(self):
        return f"{self.get_mode_display()} du {local(self.recueilli_le)}"


class FicheRelais(models.Model):
    """A handover from the current référent d'étape to the next one, coordination in copy.

    Its content lives in versions: the draft is the last version while unsent; once sent, a
    version never changes and a correction is a new version."""

    Statut = FicheRelaisStatut

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="fiches")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fiches_ecrites"
    )
    structure_auteur = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+")
    statut = models.CharField(max_length=20, choices=Statut, default=Statut.BROUILLON)
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="fiches_recues", verbose_name="référent destinataire",
    )  # fmt: skip
    structure_destinataire = models.ForeignKey(
        Structure, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="structure destinataire",
    )  # fmt: skip
    dispositif_propose = models.CharField("dispositif proposé", max_length=150, blank=True)
    contrat_propose = models.CharField(
        "contrat proposé", max_length=10, choices=Etape.Contrat, blank=True
    )
    rencontre_tripartite = models.BooleanField("rédigée en entretien tripartite", default=False)
    consentement = models.ForeignKey(
        Consentement, on_delete=models.PROTECT, null=True, blank=True, related_name="fiches"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    envoyee_le = models.DateTimeField(null=True, blank=True)
    alerte_le = models.DateTimeField("coordination alertée le", null=True, blank=True)
    prise_en_charge_le = models.DateTimeField(null=True, blank=True)
    prise_en_charge_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "fiche relais"
        verbose_name_plural = "fiches relais"
        ordering = ["-cree_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["personne"], condition=models.Q(statut__in=sorted(PENDING)),
                name="une_fiche_en_attente_par_personne",
                violation_error_message="Une autre fiche relais de cette personne attend déjà "
                "son relais.",
            )
        ]  # fmt: skip

    def __str__(self):
        return f"Fiche relais {de(self.personne)}"

    def get_absolute_url(self):
        return reverse("fiche_relais:fiche", args=[self.pk])

    @property
    def derniere_version(self):
        return self.versions.order_by("-numero").first()

    def alerte(self, now=None):
        """For a pending fiche: « alerte » after FICHE_RELAIS_ALERT_DAYS days without a taker,
        « risque de rupture » after FICHE_RELAIS_RUPTURE_DAYS (seed 001: 15 days); else ""."""
        if self.statut not in PENDING or self.envoyee_le is None:
            return ""
        waited = (now or timezone.now()) - self.envoyee_le
        if waited > timedelta(days=settings.FICHE_RELAIS_RUPTURE_DAYS):
            return "risque de rupture"
        if waited > timedelta(days=settings.FICHE_RELAIS_ALERT_DAYS):
            return "alerte"
        return ""

    @property
    def consentement_revoque(self):
        return bool(self.consentement and self.consentement.revoque_le)


class FicheRelaisTransition(TransitionLog):
    """The fiche relais's log (see `config.workflow`)."""

    fiche = models.ForeignKey(FicheRelais, on_delete=models.CASCADE, related_name="transitions")
    from_state, to_state = state_fields(FicheRelaisStatut)

    class Meta(TransitionLog.Meta):
        verbose_name = "transition de fiche relais"


class Version(models.Model):
    fiche = models.ForeignKey(FicheRelais, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField("numéro")
    contenu = models.JSONField()
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creee_le = models.DateTimeField(default=timezone.now)
    envoyee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["numero"]
        constraints = [
            models.UniqueConstraint(fields=["fiche", "numero"], name="version_unique_par_fiche")
        ]

    def __str__(self):
        return f"Version {self.numero}"

    @property
    def figee(self):
        """Sent: it never changes again."""
        return self.envoyee_le is not None


class Lecture(models.Model):
    """The access log: who read which version of a fiche, when."""

    fiche = models.ForeignKey(FicheRelais, on_delete=models.CASCADE, related_name="lectures")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-le"]

    def __str__(self):
        return f"{self.par} a lu la version {self.version.numero} le {local(self.le, '%d/%m/%Y %H:%M')}"


class Commission(models.Model):
    """A dated meeting of the commission SPIE of a coordination's territory; its agenda is the
    situations bloquées put on it."""

    coordination = models.ForeignKey(
        "accounts.Coordination", on_delete=models.PROTECT, related_name="commissions"
    )
    date = models.DateField()
    lieu = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"Commission SPIE du {self.date:%d/%m/%Y} ({self.coordination})"

    def get_absolute_url(self):
        return reverse("fiche_relais:commission", args=[self.pk])


class Participant(models.Model):
    """Someone invited to a commission SPIE (seed 001: « la coordination qui déclenche les
    commissions et invitations »), by e-mail with the date as an .ics attachment."""

    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="participants"
    )
    courriel = models.EmailField("adresse e-mail")
    invite_le = models.DateTimeField("invité le", default=timezone.now)
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["courriel"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "courriel"], name="participant_unique_par_commission"
            )
        ]

    def __str__(self):
        return self.courriel


class SituationBloquee(models.Model):
    class Motif(models.TextChoices):
        DUREE = "duree", "Durée du parcours"
        FREINS = "multiplicite-freins", "Multiplicité des freins"
        NON_ADHESION = "non-adhesion", "Non-adhésion répétée"
        ABSENCE_OFFRE = "absence-offre", "Absence d'offre"
        SANTE_SOCIAL = "offre-sante-social", "Offre santé / social insuffisante"
        TRANSITION = "transition-difficile", "Transition difficile"

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="situations")
    motif = models.CharField(max_length=30, choices=Motif)
    # The common presentation template.
    situation = models.TextField("situation de la personne")
    actions_menees = models.TextField("actions déjà menées")
    blocage = models.TextField("ce qui bloque")
    demande = models.TextField("ce qui est demandé à la commission")
    signalee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signalee_le = models.DateTimeField(default=timezone.now)
    commission = models.ForeignKey(
        Commission, on_delete=models.SET_NULL, null=True, blank=True, related_name="situations"
    )
    statut = models.CharField(
        max_length=20, choices=SituationStatut, default=SituationStatut.SIGNALEE
    )

    class Meta:
        verbose_name = "situation bloquée"
        verbose_name_plural = "situations bloquées"
        ordering = ["-signalee_le"]

    def __str__(self):
        return f"{self.personne} — {self.get_motif_display()}"

    def get_absolute_url(self):
        return reverse("fiche_relais:situation", args=[self.pk])

    def presentation(self):
        """The common presentation template: [(label, text)]."""
        names = ["situation", "actions_menees", "blocage", "demande"]
        return [(self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name))
                for name in names]  # fmt: skip


class SituationTransition(TransitionLog):
    """The situation's log (see `config.workflow`)."""

    situation = models.ForeignKey(
        SituationBloquee, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state, to_state = state_fields(SituationStatut)

    class Meta(TransitionLog.Meta):
        verbose_name = "transition de situation"


class Decision(models.Model):
    """What the commission decided for a situation: added to the parcours, sent to the référents."""

    situation = models.OneToOneField(
        SituationBloquee, on_delete=models.CASCADE, related_name="decision"
    )
    solutions = models.TextField()
    qui_fait_quoi = models.TextField("qui fait quoi")
    echeance = models.DateField("pour quand")
    offre_manquante = models.TextField(
        "offre manquante à signaler", blank=True,
        help_text="Pour l'enrichissement de l'offre d'insertion du territoire.",
    )  # fmt: skip
    situation_resolue = models.BooleanField("la situation est débloquée", default=False)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saisie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "décision de la commission"

    def __str__(self):
        return f"Décision du {local(self.saisie_le)} : {self.situation}"
