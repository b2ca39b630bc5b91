"""The selection of services to print or send (« Ma sélection »), kept in the session: the
services' ids in the order they were added, nothing about the person. It lasts as long as the
session (a professional's ends at logout or after `SESSION_IDLE_TIMEOUT`)."""

from catalogue.models import Service

KEY = "partage_selection"
MAX_SERVICES = 50


def ids(session):
    """[pk] of the selected services, in the order they were added."""
    return list(session.get(KEY, []))


def add(session, pks):
    """Adds the services `pks` not yet selected, up to `MAX_SERVICES` in all; returns how many
    were added."""
    current = ids(session)
    room = max(MAX_SERVICES - len(current), 0)
    new = [pk for pk in dict.fromkeys(pks) if pk not in current][:room]
    if new:  # else the session is left unchanged, not written again
        session[KEY] = current + new
    return len(new)


def remove(session, pk=None):
    """Takes the service `pk` out of the selection; every service when `pk` is None."""
    session[KEY] = [] if pk is None else [kept for kept in ids(session) if kept != pk]


def services(session):
    """The selected services a visitor may still see (`Service.objects.avec_page_publique()`), in the
    order they were added; one since archived or unpublished is left out."""
    chosen = ids(session)
    found = Service.objects.avec_page_publique().select_related("structure").in_bulk(chosen)
    return [found[pk] for pk in chosen if pk in found]
