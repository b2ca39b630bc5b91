"""A professional's saved searches: the search page's parameters, a name, and an alert."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalogue.fraicheur import add_months
from saved_searches.enums import AlertFrequency

# The alert periods of issue 20, item 3 (« tous les 15 jours », « mensuelle »).
FORTNIGHT = timedelta(days=15)
ONE_MONTH = 1  # add_months: 31 January + 1 month = end of February


class SavedSearchQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The only searches a user may read, change or delete: their own."""
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def due(self, now):
        """Searches with an alert whose period has elapsed since `watched_since`, of active
        accounts."""
        return self.filter(owner__is_active=True).filter(
            Q(frequency=AlertFrequency.FORTNIGHTLY, watched_since__lte=now - FORTNIGHT)
            | Q(frequency=AlertFrequency.MONTHLY, watched_since__lte=add_months(now, -ONE_MONTH))
        )


class SavedSearch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches",
        verbose_name="professionnel",
    )  # fmt: skip
    name = models.CharField("nom", max_length=100)
    # The search page's query parameters, {parameter: [values]}, validated by
    # search.forms.SearchForm when saved and each time they are searched again.
    parameters = models.JSONField("paramètres de la recherche")
    frequency = models.CharField(
        "alerte", max_length=20, choices=AlertFrequency.choices, default=AlertFrequency.NONE
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    # Services created or changed after this moment go in the next alert: the creation, the
    # moment alerts were turned back on, or the end of what the last alert covered.
    watched_since = models.DateTimeField("nouveautés depuis", default=timezone.now)
    last_alert_at = models.DateTimeField("dernière alerte le", null=True, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = "recherche enregistrée"
        verbose_name_plural = "recherches enregistrées"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["frequency", "watched_since"])]

    def __str__(self):
        return self.name
