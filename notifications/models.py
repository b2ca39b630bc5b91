"""What the portal e-mailed, to whom: the source of « Mes notifications »."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SentNotification(models.Model):
    """One e-mail handed to `config.mail.send` (it leaves when the transaction commits, so a
    rolled-back action leaves neither the e-mail nor this row)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications", verbose_name="destinataire",
    )  # fmt: skip
    email = models.EmailField("adresse e-mail")
    kind = models.CharField("notification", max_length=100)
    subject = models.CharField("objet", max_length=255)
    link = models.CharField("lien", max_length=500, blank=True)
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "notification envoyée"
        verbose_name_plural = "notifications envoyées"
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-sent_at"])]

    def __str__(self):
        return f"{self.subject} → {self.email}"
