"""Catalogue changes → search. The catalogue knows nothing of search; search listens."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalogue.models import Service, Structure
from catalogue.signals import offer_imported
from search import lexique
from search.models import SynonymGroup
from search.sync import services_changed


@receiver([post_save, post_delete], sender=Service)
def service_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services_changed([instance.pk])


@receiver(post_save, sender=Structure)
def structure_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services_changed(instance.services.values_list("pk", flat=True))


@receiver(offer_imported)
def offer_imported_in_bulk(sender, identifiants, **kwargs):
    if sender is Structure:
        services = Service.objects.filter(structure__identifiant__in=identifiants)
    else:
        services = Service.objects.filter(identifiant__in=identifiants)
    services_changed(services.values_list("pk", flat=True))


@receiver([post_save, post_delete], sender=SynonymGroup)
def lexicon_changed(sender, **kwargs):
    """This process reads the lexicon again at once, and again once the change is committed (a
    search between the two would have kept the old entries for a minute)."""
    lexique.clear()
    transaction.on_commit(lexique.clear)
