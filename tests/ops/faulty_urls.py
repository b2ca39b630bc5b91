"""A view that fails holding personal data (tests/ops/test_observability.py)."""

from django.urls import path


def faulty(request):
    personne = {key: request.POST[key] for key in ("nom", "courriel", "motif")}
    raise ValueError(f"Refus de {personne['nom']} <{personne['courriel']}> : {personne['motif']}")


urlpatterns = [path("faulty/", faulty)]
