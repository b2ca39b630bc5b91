"""The database side of search: the index the database backend queries, and the outbox that
carries catalogue changes to Elasticsearch."""

from django.db import models

from catalogue.models import Service
from search.facets import FACET_NAMES


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
