"""The portal's fixed pages: the register of personal data processing, the accessibility
statement."""

from django.conf import settings
from django.shortcuts import render


def donnees_personnelles(request):
    return render(request, "donnees_personnelles.html", {
        "retention_prescription": settings.PRESCRIPTION_RETENTION_MONTHS,
        "verrouillage": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "retention_connexions": settings.LOGIN_ATTEMPTS_RETENTION_DAYS,
    })  # fmt: skip


def accessibilite(request):
    return render(request, "accessibilite.html")
