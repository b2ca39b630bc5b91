"""The e-mail telling someone about services (see `partage.services`, `notifications.base`)."""

from config.french import pluriel
from notifications.base import Notification


class ServicesPartages(Notification):
    """To the address typed by the sender (`address`), used for this message only: sent with
    `send(now=True)` and nothing kept (`kept`). `infos`: `partage.services.ServiceInfo`s;
    `sender`: the professional's name, "" for an anonymous visitor; `printable`: the PDF."""

    label = "Services partagés"
    template = "partage/emails/services.txt"
    kept = False

    def recipients(self):
        return [self.address]

    def subject(self):
        """The services' names only: nothing about the sender nor the recipient."""
        if len(self.infos) == 1:
            return f"Un service d'insertion vous est transmis : {self.infos[0].nom}"
        return f"{pluriel(len(self.infos), 'service')} d'insertion vous sont transmis"

    def attachments(self):
        return [("services.pdf", self.printable, "application/pdf")]
