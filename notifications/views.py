from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from notifications.base import REGISTRY


@login_required
def mes_notifications(request):
    """« Mes notifications » : what the portal e-mailed me, newest first."""
    page = Paginator(request.user.notifications.all(), 50).get_page(request.GET.get("page"))
    for sent in page:
        known = REGISTRY.get(sent.kind)
        sent.label = known.label if known else sent.kind
    return render(request, "notifications/mes_notifications.html", {"page": page})
