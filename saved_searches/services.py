"""Saved searches: the parameters kept, the search run again from them, and their alerts.

A saved search keeps the search page's query parameters, never a copy of its fields: they are
validated by `search.forms.SearchForm` when saved and each time they are searched again, and
searched through `search.services.search`, so both backends give the same alert.
"""

import bisect
import dataclasses
import logging
from datetime import timedelta
from operator import itemgetter
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Service
from config import mail
from config.forms import errors_text
from saved_searches import notifications
from saved_searches.enums import AlertFrequency
from saved_searches.models import SavedSearch
from search.facets import GROUPS
from search.forms import SearchForm
from search.query import DEFAULT_DISTANCE_KM, Item
from search.services import search

logger = logging.getLogger(__name__)

# Every parameter of the search page but the page of results shown.
KEPT_PARAMETERS = tuple(sorted(set(SearchForm.base_fields) - {"page"}))
# A professional keeps at most this many searches (each is searched again for its alerts).
MAX_PER_OWNER = 50
UNSUBSCRIBE_SALT = "saved_searches.unsubscribe"
# Changes of the last minutes wait for the next alert: by then Elasticsearch (fed after each
# commit) has them, and a transaction still open when the window closed has committed.
SETTLING = timedelta(minutes=10)
# The search is read by pages of this size, up to Elasticsearch's result window.
READ_SIZE = 500
READ_LIMIT = 10_000
# An alert lists at most this many services; its link to the search shows them all.
LISTED = 30


class UnusableSearch(Exception):
    """Parameters that no longer make a valid search (a referential value gone…)."""


# Parameters ----------------------------------------------------------------------------------


def parameters_of(query):
    """The search's parameters from a query string (a QueryDict): {parameter: [values]}, the
    search form's parameters only, without `page` and empty values."""
    parameters = {}
    for name in KEPT_PARAMETERS:
        if values := [value for value in query.getlist(name) if value.strip()]:
            parameters[name] = values
    return parameters


def query_string(parameters):
    """The parameters as a query string, in the order of their names (PostgreSQL's jsonb keeps
    no order of keys: the same search gives the same link on every database)."""
    return urlencode(sorted(parameters.items()), doseq=True)


def search_url(parameters):
    """The search page with these parameters (a path)."""
    return f"{reverse('search:page')}?{query_string(parameters)}"


def search_form(parameters):
    """The search form bound to these parameters, validated."""
    form = SearchForm(QueryDict(query_string(parameters)))
    form.is_valid()
    return form


def check(parameters, owner):
    """The validated search form of parameters a professional may save; raises
    ValidationError with the reason otherwise."""
    form = search_form(parameters)
    if not form.is_valid():
        raise ValidationError(
            f"Cette recherche ne peut pas être enregistrée : {errors_text(form)}", code="invalid"
        )
    if not describes_something(form):
        raise ValidationError(
            "Indiquez au moins un lieu, des mots-clés ou un filtre avant d'enregistrer la "
            "recherche.",
            code="empty",
        )
    if SavedSearch.objects.owned_by(owner).count() >= MAX_PER_OWNER:
        raise ValidationError(
            f"Vous avez déjà {MAX_PER_OWNER} recherches enregistrées : supprimez-en une d'abord.",
            code="too_many",
        )
    return form


def describes_something(form):
    data = form.cleaned_data
    return bool(data.get("place") or data["q"] or any(data[name] for name in GROUPS))


def summary(form):
    """What a validated search form looks for, in words: [« Marseille (13), à moins de 20 km »,
    « Mots-clés : permis », « Thématiques : Mobilité »…]."""
    data = form.cleaned_data
    lines = []
    if place := data.get("place"):
        distance = data["distance"] or DEFAULT_DISTANCE_KM
        lines.append(f"{place.label}, à moins de {distance:g} km")
    if data["q"]:
        lines.append(f"Mots-clés : {data['q']}")
    for name, group in GROUPS.items():
        if data[name]:
            labels = dict(group.choices())
            lines.append(f"{group.title} : {', '.join(labels[slug] for slug in data[name])}")
    return lines


def create(owner, name, frequency, parameters):
    """Saves the search (the parameters `check` accepted) for its owner."""
    return SavedSearch.objects.create(
        owner=owner, name=name, frequency=frequency, parameters=parameters
    )


def set_frequency(saved_search, frequency):
    """Changes the alert; alerts turned on again cover only what changes from now on."""
    if saved_search.frequency == AlertFrequency.NONE and frequency != AlertFrequency.NONE:
        saved_search.watched_since = timezone.now()
    saved_search.frequency = frequency
    saved_search.save(update_fields=["frequency", "watched_since"])


# Unsubscribing -------------------------------------------------------------------------------


def unsubscribe_url(saved_search):
    """The alert's signed link (no login) that turns its alerts off: absolute."""
    token = signing.dumps(saved_search.pk, salt=UNSUBSCRIBE_SALT)
    return mail.absolute(reverse("saved_searches:unsubscribe", args=[token]))


def of_unsubscribe_token(token):
    """The saved search a link names; raises signing.BadSignature (tampered or incomplete) or
    SavedSearch.DoesNotExist (deleted since)."""
    return SavedSearch.objects.get(pk=signing.loads(token, salt=UNSUBSCRIBE_SALT))


def unsubscribe(saved_search):
    SavedSearch.objects.filter(pk=saved_search.pk).update(frequency=AlertFrequency.NONE)
    saved_search.frequency = AlertFrequency.NONE


# Alerts --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Line:
    """A service an alert lists: its search result (`search.query.Item`) and whether it is new
    (created after the previous alert) rather than changed."""

    item: Item
    new: bool

    @property
    def url(self):
        return mail.absolute(self.item.service["url"])


class Changes:
    """The published services created or changed in (since, until], read once for a whole run
    (`modifie_le` has no index: one scan of the services, not one per due search). A change of
    `date_maj` (a confirmation, an import) saves the service, so it moves `modifie_le` too."""

    def __init__(self, since, until):
        # (modifie_le, pk, cree_le) by moment of change, for `after` to cut.
        self.rows = list(
            Service.objects.publies()
            .filter(modifie_le__gt=since, modifie_le__lte=until)
            .order_by("modifie_le")
            .values_list("modifie_le", "pk", "cree_le")
        )

    def after(self, since):
        """{service id: created after `since`} of the services changed after `since` (a moment
        of the window)."""
        start = bisect.bisect_right(self.rows, since, key=itemgetter(0))
        return {pk: created > since for _, pk, created in self.rows[start:]}


def new_services(saved_search, changes):
    """The services the saved search finds among `changes` (a Changes) made after its
    `watched_since`, in the search's order: [Line]; no search is made when nothing changed.
    Raises UnusableSearch when the parameters no longer validate."""
    changed = changes.after(saved_search.watched_since)
    if not changed:
        return []
    form = search_form(saved_search.parameters)
    if not form.is_valid():
        raise UnusableSearch(errors_text(form))
    query = dataclasses.replace(form.to_query(public=False), page=1, size=READ_SIZE)
    lines = []
    while True:
        results = search(query)
        lines += [Line(item, changed[item.pk]) for item in results.items if item.pk in changed]
        read = query.page * query.size
        if len(lines) == len(changed) or read >= min(results.total, READ_LIMIT):
            return lines
        query = dataclasses.replace(query, page=query.page + 1)


def send_alerts(now=None):
    """E-mails, for each due saved search, the services new or changed since its last alert;
    returns how many e-mails were queued. Nothing is sent when nothing is new (the search stays
    due: the next run looks again). Idempotent, and safe when two run at once: the alert is
    claimed by a conditional update of `watched_since` in the transaction that queues the
    e-mail (the mail leaves once it commits), so of two runs one sends and the other finds the
    claim taken."""
    now = now or timezone.now()
    until = now - SETTLING
    due = list(SavedSearch.objects.due(now).select_related("owner").order_by("pk"))
    if not due:
        return 0
    changes = Changes(min(saved_search.watched_since for saved_search in due), until)
    return sum(send_alert(saved_search, changes, until, now) for saved_search in due)


def send_alert(saved_search, changes, until, now):
    """Sends this saved search's alert for what changed up to `until` (`changes`, a Changes);
    returns whether one was queued."""
    try:
        lines = new_services(saved_search, changes)
    except UnusableSearch as error:
        logger.warning("Recherche enregistrée %s inutilisable : %s", saved_search.pk, error)
        return False
    if not lines:
        return False
    with transaction.atomic():
        claimed = (
            SavedSearch.objects.filter(pk=saved_search.pk, watched_since=saved_search.watched_since)
            .exclude(frequency=AlertFrequency.NONE)
            .update(watched_since=until, last_alert_at=now)
        )
        if not claimed:
            return False
        notifications.Alert(
            saved_search,
            lines[:LISTED],
            total=len(lines),
            search_url=mail.absolute(search_url(saved_search.parameters)),
            unsubscribe_url=unsubscribe_url(saved_search),
        ).send()
    return True
