from django.db import models


class AlertFrequency(models.TextChoices):
    """How often a saved search e-mails what is new (issue 20, item 3)."""

    NONE = "aucune", "Aucune alerte"
    FORTNIGHTLY = "15-jours", "Tous les 15 jours"
    MONTHLY = "mensuelle", "Tous les mois"
