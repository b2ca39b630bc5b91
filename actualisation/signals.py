"""A refusal that says the listing is wrong opens a quality task; a saved service closes them."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from actualisation import services
from catalogue.models import Service
from prescription.models import Statut, Transition


@receiver(post_save, sender=Transition)
def refusal_opens_a_task(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.to_state == Statut.REFUSEE:
        services.open_task(instance.prescription_id)


@receiver(post_save, sender=Service)
def edit_closes_the_tasks(sender, instance, raw=False, **kwargs):
    if not raw:
        services.close_tasks(instance)
