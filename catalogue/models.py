"""Structures and their services, in the data·inclusion v1 vocabulary."""

import uuid

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join

from wagtail.models import RevisionMixin

from catalogue import fraicheur
from catalogue.fields import ChoiceListField, ZoneEligibiliteField
from catalogue.horaires import validate_horaires
from catalogue.referentiels import (
    EN_PRESENTIEL,
    REFERENTIELS,
    TOUS_PUBLICS,
    modes_accueil_effectifs,
)
from catalogue.validation import current_codes, lieu_errors
from catalogue.validators import validate_acceslibre, validate_nom, validate_siret
from config.dates import local
from territoires import fuseaux, geocoding
from territoires import services as territoires

PORTAIL_SOURCE = "portail-spie"
IMPORT_HELP = "Empreinte de l'enregistrement importé : un import identique est sauté."


def new_identifiant():
    return f"{PORTAIL_SOURCE}--{uuid.uuid4()}"


class Lieu(models.Model):
    """An address with its commune and coordinates, checked against the reference geography."""

    adresse = models.CharField(max_length=255, blank=True)
    complement_adresse = models.CharField("complément d'adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    code_insee = models.CharField("code INSEE de la commune", max_length=5, blank=True)
    commune = models.CharField(max_length=255, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    precision = models.CharField(
        "précision de la position", max_length=10, blank=True, editable=False,
        choices=[("adresse", "à l'adresse"), ("commune", "à la commune (approximative)")],
    )  # fmt: skip

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.code_insee = current_codes({"code_insee": self.code_insee})["code_insee"]
        errors = lieu_errors(self.code_insee, self.code_postal, self.latitude, self.longitude)
        if errors:
            raise ValidationError(errors)
        self._locate()
        if self.code_insee and not self.commune:
            self.commune = territoires.get_commune(self.code_insee).nom

    def _locate(self):
        if self.latitude is not None:
            self.precision = self.precision or geocoding.ADRESSE
            return
        found = geocoding.locate(self.adresse, self.code_postal, self.code_insee, self.commune)
        if found:
            self.latitude, self.longitude = found.latitude, found.longitude
            self.precision = found.precision

    @property
    def adresse_complete(self):
        parts = [
            self.adresse,
            self.complement_adresse,
            f"{self.code_postal} {self.commune}".strip(),
        ]
        return ", ".join(part for part in parts if part)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class Structure(RevisionMixin, Lieu):
    source = models.CharField(max_length=100, default=PORTAIL_SOURCE, editable=False)
    identifiant = models.CharField(
        "identifiant data·inclusion", max_length=255, unique=True, default=new_identifiant,
        editable=False,
    )  # fmt: skip
    nom = models.CharField(max_length=150, validators=[MinLengthValidator(3), validate_nom])
    date_maj = models.DateField("date de dernière mise à jour", default=timezone.localdate)
    description = models.TextField(
        blank=True, validators=[MinLengthValidator(5), MaxLengthValidator(10000)]
    )
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    telephone = models.CharField("téléphone", max_length=50, blank=True)
    courriel = models.EmailField(blank=True)
    site_web = models.URLField("site web", max_length=2083, blank=True)
    lien_source = models.URLField(max_length=2083, blank=True)
    horaires_accueil = models.CharField(
        "horaires d'accueil",
        max_length=500,
        blank=True,
        help_text="Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:00 ».",
        validators=[validate_horaires],
    )
    accessibilite_lieu = models.URLField(
        "accessibilité du lieu",
        max_length=2083,
        blank=True,
        help_text="La fiche du lieu sur Acceslibre (https://acceslibre.beta.gouv.fr/…).",
        validators=[validate_acceslibre],
    )
    reseaux_porteurs = ChoiceListField("réseaux porteurs", referentiel="reseaux_porteurs")
    structure_parente = models.ForeignKey(
        "self",
        verbose_name="structure parente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="antennes",
        help_text="Pour une antenne : la structure dont elle dépend.",
    )
    est_publiee = models.BooleanField("publiée", default=True)
    relecture_services = models.BooleanField(
        "publication après relecture",
        default=False,
        help_text="Si coché, un nouveau service créé par un membre attend la relecture d'un "
        "administrateur de la structure avant d'être publié.",
    )
    empreinte = models.CharField(max_length=64, blank=True, editable=False, help_text=IMPORT_HELP)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="structure")

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("catalogue:structure", args=[self.pk])

    @property
    def revisions(self):
        return self._revisions

    @property
    def fuseau_horaire(self):
        """The time zone of its département (appointments are typed and read in it)."""
        return fuseaux.of_place(self.code_insee, self.code_postal)

    def clean(self):
        super().clean()
        if self.structure_parente_id and self.structure_parente_id == self.pk:
            raise ValidationError(
                {"structure_parente": "Une structure ne peut dépendre d'elle-même."}
            )


class ServiceQuerySet(models.QuerySet):
    def publies(self):
        """What the public and the search see: published services of published structures."""
        return self.filter(statut=Service.Statut.PUBLIE, structure__est_publiee=True)

    def avec_page_publique(self):
        """Services with a public page: published or suspended, of published structures."""
        return self.filter(
            statut__in=[Service.Statut.PUBLIE, Service.Statut.SUSPENDU],
            structure__est_publiee=True,
        )


class ServiceDescription:
    """What a service and a service model share beyond their fields (`MODELE_FIELDS`): named by
    `nom`, their revisions in `_revisions`, the rule on publics."""

    def __str__(self):
        return self.nom

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        if TOUS_PUBLICS in self.publics and len(self.publics) > 1:
            raise ValidationError(
                {"publics": "« Tous publics » ne se combine pas avec d'autres publics."}
            )


class Service(ServiceDescription, RevisionMixin, Lieu):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        PUBLIE = "publie", "Publié"
        A_RELIRE = "a-relire", "En attente de relecture"
        SUSPENDU = "suspendu", "Suspendu"
        ARCHIVE = "archive", "Archivé"

    source = models.CharField(max_length=100, default=PORTAIL_SOURCE, editable=False)
    identifiant = models.CharField(
        "identifiant data·inclusion", max_length=255, unique=True, default=new_identifiant,
        editable=False,
    )  # fmt: skip
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    statut = models.CharField(max_length=10, choices=Statut, default=Statut.BROUILLON)
    nom = models.CharField(max_length=150, validators=[MinLengthValidator(3), validate_nom])
    description = models.TextField(
        help_text="Idéalement entre 200 et 2 000 caractères, en phrases courtes et simples.",
        validators=[MinLengthValidator(5), MaxLengthValidator(10000)],
    )
    date_maj = models.DateField("date de dernière mise à jour", default=timezone.localdate)
    frequence_maj = models.PositiveSmallIntegerField(
        "fréquence de mise à jour",
        choices=fraicheur.FREQUENCES,
        default=fraicheur.FREQUENCE_PAR_DEFAUT,
        help_text="Tous les combien ce service doit être confirmé ou modifié. Passé ce délai, "
        "il est rappelé à la structure ; au double, il recule dans la recherche.",
    )
    type = models.CharField(max_length=50, blank=True, choices=REFERENTIELS["types"])
    thematiques = ChoiceListField("thématiques", referentiel="thematiques")
    frais = models.CharField(max_length=20, blank=True, choices=REFERENTIELS["frais"])
    frais_precisions = models.TextField("précisions sur les frais", blank=True)
    publics = ChoiceListField("publics", referentiel="publics")
    publics_precisions = models.TextField("précisions sur les publics", blank=True)
    conditions_acces = models.TextField("conditions d'accès", blank=True)
    telephone = models.CharField("téléphone", max_length=50, blank=True)
    courriel = models.EmailField(blank=True)
    contact_nom_prenom = models.CharField("nom et prénom du contact", max_length=255, blank=True)
    contact_public = models.BooleanField(
        "coordonnées publiques",
        default=False,
        help_text="Si coché, le téléphone et le courriel sont visibles de tous ; sinon des seuls "
        "professionnels connectés. Le nom du contact n'est jamais public.",
    )
    modes_accueil = ChoiceListField("modes d'accueil", referentiel="modes_accueil")
    zone_eligibilite = ZoneEligibiliteField(
        "zone d'éligibilité",
        help_text="Codes séparés par des virgules : communes (INSEE), EPCI (SIREN), "
        "départements, ou « france ». Vide : aucune restriction.",
    )
    lien_mobilisation = models.URLField("lien de mobilisation", max_length=2083, blank=True)
    modes_mobilisation = ChoiceListField("modes de mobilisation", referentiel="modes_mobilisation")
    mobilisable_par = ChoiceListField("mobilisable par", referentiel="personnes_mobilisatrices")
    mobilisation_precisions = models.TextField("précisions sur la mobilisation", blank=True)
    volume_horaire_hebdomadaire = models.FloatField(
        "volume horaire hebdomadaire", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    nombre_semaines = models.PositiveIntegerField(
        "nombre de semaines", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    horaires_accueil = models.CharField(
        "horaires d'accueil",
        max_length=500,
        blank=True,
        help_text="Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00 ». "
        "Vide : ceux de la structure.",
        validators=[validate_horaires],
    )
    lien_source = models.URLField(max_length=2083, blank=True)
    empreinte = models.CharField(max_length=64, blank=True, editable=False, help_text=IMPORT_HELP)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    modele = models.ForeignKey(
        "ModeleService", verbose_name="modèle", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="copies", editable=False,
    )  # fmt: skip
    valeurs_modele = models.JSONField(
        "valeurs du modèle réglées", default=dict, blank=True, editable=False,
        help_text="Pour chaque champ du modèle, sa valeur copiée, acceptée ou refusée.",
    )  # fmt: skip
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="service")

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        indexes = [models.Index(fields=["statut", "structure"])]

    def get_absolute_url(self):
        return reverse("catalogue:service", args=[self.pk])

    @property
    def horaires(self):
        return self.horaires_accueil or self.structure.horaires_accueil

    @property
    def sur_place(self):
        """Met on site: « en présentiel », or no mode d'accueil given (read as on site)."""
        return EN_PRESENTIEL in modes_accueil_effectifs(self.modes_accueil)

    @property
    def lieu_accueil(self):
        """Where the service is met (a `Lieu`): its own address and position, else, for a
        service on site without coordinates (as many imports are), its structure's."""
        if self.has_coordinates or not self.sur_place or not self.structure.has_coordinates:
            return self
        return self.structure

    @property
    def au_lieu_de_la_structure(self):
        return self.lieu_accueil is not self

    def etat_fraicheur(self, today=None):
        return fraicheur.etat(self.date_maj, self.frequence_maj, today or timezone.localdate())


# The data·inclusion fields a model describes once for all its copies; the others (place, hours,
# contacts, zone d'éligibilité, source link) are each copy's own.
MODELE_FIELDS = (
    "nom", "description", "type", "thematiques", "frais", "frais_precisions", "publics",
    "publics_precisions", "conditions_acces", "modes_accueil", "lien_mobilisation",
    "modes_mobilisation", "mobilisable_par", "mobilisation_precisions",
    "volume_horaire_hebdomadaire", "nombre_semaines",
)  # fmt: skip


class ModeleService(ServiceDescription, RevisionMixin, models.Model):
    """A service described once by a network (its owner structure) or a gestionnaire, copied by
    structures as ordinary services (`Service.modele`); its fields are `MODELE_FIELDS`, defined
    once on `Service` and added below. The rules of copies and proposals: `catalogue.modeles`."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure propriétaire", on_delete=models.PROTECT,
        related_name="modeles_service",
        help_text="La tête de réseau qui décrit ce modèle : seuls ses administrateurs le modifient.",
    )  # fmt: skip
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="modele_service")

    class Meta:
        verbose_name = "modèle de service"
        verbose_name_plural = "modèles de service"
        ordering = ["nom"]


for _name in MODELE_FIELDS:
    ModeleService.add_to_class(_name, Service._meta.get_field(_name).clone())


class Membre(models.Model):
    """A user's membership of a structure. Admins manage the structure and its members (they are
    its « référent outils numériques »); members edit and publish its services."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrateur (référent outils numériques)"
        MEMBRE = "membre", "Membre"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="membres")
    role = models.CharField("rôle", max_length=10, choices=Role, default=Role.MEMBRE)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure"], name="membre_unique_par_structure"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.structure} ({self.get_role_display()})"


class Invitation(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse e-mail")
    role = models.CharField("rôle", max_length=10, choices=Membre.Role, default=Membre.Role.MEMBRE)
    invitee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    acceptee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]

    def __str__(self):
        return f"Invitation de {self.email} dans {self.structure}"


class DemandeAdhesion(models.Model):
    """A professional asks to join a structure; its admins (or, without admins, the platform's
    gestionnaires) accept or refuse."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demandes_adhesion"
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="demandes_adhesion"
    )
    message = models.TextField("message aux administrateurs", max_length=1000, blank=True)
    # ADMIN: the structure has no admin yet (claimed, or `creation`: created by the user); the
    # gestionnaires or the coordination of its territory decide (`catalogue.moderation`).
    role = models.CharField(
        "rôle demandé", max_length=10, choices=Membre.Role, default=Membre.Role.MEMBRE
    )
    creation = models.BooleanField(
        "nouvelle structure", default=False, help_text="Structure créée par le demandeur."
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    decidee_le = models.DateTimeField("décidée le", null=True, blank=True)
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    acceptee = models.BooleanField(null=True)

    class Meta:
        verbose_name = "demande d'adhésion"
        verbose_name_plural = "demandes d'adhésion"
        ordering = ["cree_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure"],
                condition=models.Q(decidee_le=None),
                name="une_demande_en_attente_par_structure",
            )
        ]

    def __str__(self):
        return f"Demande de {self.user} pour {self.structure}"


class RapportImport(models.Model):
    """What one import of one file did: kept and shown in the admin."""

    class Etat(models.TextChoices):
        EN_COURS = "en-cours", "En cours (ou interrompu)"
        TERMINE = "termine", "Terminé"
        INCOMPLET = "incomplet", "Terminé, fichier lu en partie"
        ECHEC = "echec", "Échec"

    fichier = models.CharField(max_length=500)
    nature = models.CharField(
        max_length=10, choices=[("structures", "Structures"), ("services", "Services")]
    )
    export_complet = models.BooleanField(
        "export complet",
        default=False,
        help_text="Le fichier est l'export complet de ses sources : ce qui en a disparu est "
        "suspendu.",
    )
    sources = models.JSONField(default=list)
    etat = models.CharField("état", max_length=10, choices=Etat, default=Etat.EN_COURS)
    debut = models.DateTimeField("début", auto_now_add=True)
    fin = models.DateTimeField(null=True, blank=True)
    crees = models.PositiveIntegerField("créés", default=0)
    mis_a_jour = models.PositiveIntegerField("mis à jour", default=0)
    inchanges = models.PositiveIntegerField("inchangés", default=0)
    suspendus = models.PositiveIntegerField(default=0)
    rejetes = models.PositiveIntegerField("rejetés", default=0)
    avertissements = models.JSONField(default=list)
    rejets = models.JSONField(
        default=list, help_text="Les premiers rejets : position, id, champ, message."
    )
    erreur = models.TextField("erreur de lecture", blank=True)

    class Meta:
        verbose_name = "rapport d'import"
        verbose_name_plural = "rapports d'import"
        ordering = ["-debut"]

    def __str__(self):
        return (
            f"Import {self.get_nature_display().lower()} du {local(self.debut, '%d/%m/%Y %H:%M')}"
        )

    @property
    def importes(self):
        return self.crees + self.mis_a_jour

    @admin.display(description="avertissements")
    def liste_avertissements(self):
        return format_html_join("", "<p>{}</p>", ((text,) for text in self.avertissements))

    @admin.display(description="rejets (les premiers)")
    def liste_rejets(self):
        return format_html_join(
            "",
            "<p>{} — id {} — <strong>{}</strong> : {}</p>",
            ((r["position"], r["id"] or "?", r["champ"], r["message"]) for r in self.rejets),
        )
