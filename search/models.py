"""The database side of search: the index the database backend queries, and the outbox that
carries catalogue changes to Elasticsearch."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator

from catalogue.fields import ChoiceListField
from catalogue.models import Service
from search.facets import FACET_NAMES
from search.text import tokens


class IndexEntry(models.Model):
    """A searchable service, denormalised for the database backend, with one column per facet
    (added below). Lists are stored as
    `|a|b|` and tokens as ` a b ` so that one LIKE finds a value; empty lists are ``""``."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    identifiant = models.CharField(max_length=255)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    sur_place = models.BooleanField()
    a_distance = models.BooleanField()
    tokens = models.TextField()
    zones = models.TextField()
    contact_public = models.BooleanField()
    date_maj = models.DateField()
    perime_le = models.DateField(
        help_text="Péremption : au-delà, le service recule à distance égale."
    )

    class Meta:
        indexes = [
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["a_distance"]),
        ]

    def __str__(self):
        return self.identifiant


# One column per facet of the registry (search/facets.py), `|a|b|` like the other lists.
for facet_name in FACET_NAMES:
    IndexEntry.add_to_class(facet_name, models.TextField())


class IndexOpening(models.Model):
    """One weekly interval when a service is open, for « ouvert maintenant / le … à … »: minutes
    of the week in its time zone, `start` included, `end` excluded, within one day
    (catalogue.horaires.weekly_intervals). A service without hours has none."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    fuseau = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self):
        return f"{self.service_id} : {self.start}–{self.end} ({self.fuseau})"


class IndexPayload(models.Model):
    """What a search returns for a service (data·inclusion record, structure, page), kept apart
    from the columns searches filter on: a search reads it for its page only, and the rows it
    scans stay narrow (with the payload inline, PostgreSQL read 225 MB per query)."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    payload = models.JSONField()

    def __str__(self):
        return self.payload.get("nom", str(self.service_id))


class IndexChange(models.Model):
    """Outbox: a service whose search document must be rewritten in Elasticsearch. Written in
    the transaction of the catalogue change; `processed_at` is set once Elasticsearch took it.
    The row's id is the version written to Elasticsearch, so a late writer never wins."""

    service_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(processed_at=None), name="index_change_pending"
            )
        ]

    def __str__(self):
        return f"Service {self.service_id} ({'appliqué' if self.processed_at else 'en attente'})"


class BesoinNonCouvert(models.Model):
    """A search that found nothing within its distance (see search/besoins.py): no personal
    data, only the territory, the day and the thématique categories asked."""

    le = models.DateField(db_index=True)
    epci = models.CharField(max_length=9, blank=True)
    departement = models.CharField(max_length=3, blank=True)
    categories = models.JSONField(default=list)

    class Meta:
        verbose_name = "besoin non couvert"

    def __str__(self):
        return f"{self.le} {self.epci or self.departement} {', '.join(self.categories)}"


class SynonymGroup(models.Model):
    """One entry of the search lexicon (`search/lexique.py`): expressions a conseiller uses for
    the same thing (a word, its acronym, a spoken form, a common misspelling), one per line, and
    the data·inclusion thématiques they point to. Loaded from `search/data/lexique.csv`, then
    edited by gestionnaires in the admin; read at query time, so no reindex is needed."""

    key = models.SlugField(
        "clé",
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Identifiant de l'entrée dans search/data/lexique.csv ; vide si ajoutée ici.",
    )
    expressions = models.TextField(
        help_text=(
            "Une expression par ligne, écrite comme on la dit : « crèche », « garde d'enfants », "
            "un sigle et sa forme développée, une faute courante. Toutes sont équivalentes."
        )
    )
    thematiques = ChoiceListField(
        "thématiques",
        referentiel="thematiques",
        help_text="Les thématiques data·inclusion que ces expressions désignent (facultatif).",
    )
    source = models.CharField(
        max_length=255,
        help_text=(
            "D'où vient l'équivalence : « lexique du portail », « glossaire des seeds », "
            "« data·inclusion — définition de la thématique … », ou une définition publique "
            "nommée (service-public.fr, France Travail, CAF…)."
        ),
    )
    active = models.BooleanField(
        "active", default=True, help_text="Une entrée inactive n'est plus utilisée."
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "entrée du lexique"
        verbose_name_plural = "entrées du lexique"
        ordering = ["pk"]

    def __str__(self):
        return Truncator(" · ".join(self.expression_list())).chars(120)

    def expression_list(self) -> list[str]:
        """The expressions as written, one per non-blank line."""
        return [line.strip() for line in self.expressions.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        lines = self.expression_list()
        if not lines:
            raise ValidationError({"expressions": "Indiquez au moins une expression."})
        unsearchable = [line for line in lines if not tokens(line)]
        if unsearchable:
            raise ValidationError(
                {
                    "expressions": "Sans aucun mot cherchable (mots vides ou ponctuation "
                    f"seulement) : {', '.join(unsearchable)}."
                }
            )


class CorpusStatistics(models.Model):
    """How many services the last full index held: the N of the document-frequency weights
    (`search.vocabulary`). One row, rewritten by `search_reindex`."""

    documents = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "statistiques de l'index"

    def __str__(self):
        return f"{self.documents} services ({self.computed_at:%d/%m/%Y})"


class IndexWord(models.Model):
    """A word written in the indexed services (folded, unstemmed: « hebergement »), its stem
    (« heberg ») and the number of services whose text contains that stem. Computed once per full
    index by `search_reindex`, read by both backends: weights of rare words, typo tolerance,
    « Vouliez-vous dire … ? »."""

    word = models.CharField(max_length=100, primary_key=True)
    stem = models.CharField(max_length=100)
    document_frequency = models.PositiveIntegerField()

    def __str__(self):
        return self.word
