"""The saved searches' e-mail (see `notifications.base`)."""

from django.urls import reverse

from config.french import pluriel
from notifications.base import Notification


class Alert(Notification):
    """To a saved search's owner: the services new or changed since the last alert (`lines`,
    the first of `total`), with the links to the search and to turn the alerts off."""

    label = "Alerte d'une recherche enregistrée"
    template = "saved_searches/emails/alerte.txt"

    def __init__(self, saved_search, lines, total, search_url, unsubscribe_url):
        super().__init__(
            saved_search=saved_search, lines=lines, total=total, more=total - len(lines),
            search_url=search_url, unsubscribe_url=unsubscribe_url,
        )  # fmt: skip

    def recipients(self):
        return [self.saved_search.owner.email]

    def subject(self):
        news = pluriel(self.total, "service nouveau ou mis à jour,services nouveaux ou mis à jour")
        return f"{news} : « {self.saved_search.name} »"

    def link(self):
        return reverse("saved_searches:list")

    def headers(self):
        """One-click unsubscribe from the mail client (RFC 8058): it POSTs to the link."""
        return {
            "List-Unsubscribe": f"<{self.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
