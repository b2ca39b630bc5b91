"""Better positions later: structures and services placed at their commune (no coordinates in
their record, address geocoder offline or silent) are geocoded again at their address."""

from django.db import transaction

from catalogue.signals import offer_imported
from territoires import geocoding

BATCH_SIZE = 500


def approximate(model):
    return model.objects.filter(precision=geocoding.COMMUNE).exclude(adresse="").order_by("pk")


def upgrade(model, limit=None):
    """Geocodes the approximate positions again; returns (tried, upgraded)."""
    rows = approximate(model)[:limit] if limit else approximate(model)
    tried, batch, upgraded = 0, [], 0
    for instance in rows.iterator(chunk_size=BATCH_SIZE):
        tried += 1
        found = geocoding.locate(
            instance.adresse, instance.code_postal, instance.code_insee, instance.commune
        )
        if found and found.precision == geocoding.ADRESSE:
            instance.latitude, instance.longitude = found.latitude, found.longitude
            instance.precision = found.precision
            batch.append(instance)
        if len(batch) >= BATCH_SIZE:
            upgraded += _save(model, batch)
            batch = []
    return tried, upgraded + _save(model, batch)


@transaction.atomic
def _save(model, instances):
    if instances:
        model.objects.bulk_update(instances, ["latitude", "longitude", "precision"])
        offer_imported.send(sender=model, identifiants=[i.identifiant for i in instances])
    return len(instances)
