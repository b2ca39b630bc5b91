"""Every e-mail of the portal is a class: who receives it, its subject, its template, its link.

    class FicheEnvoyee(Notification):
        label = "Une fiche relais vous est adressée"
        template = "fiche_relais/emails/envoyee.txt"
        subject_format = "Fiche relais : {fiche.personne} vous est adressé(e)"  # str.format

        def recipients(self): ...        # e-mail addresses (users are found by their address)
        def link(self): ...               # the page the e-mail points to, a path

    FicheEnvoyee(fiche=fiche).send(exclude={"a@example.org"})  # → the addresses written to

The keyword arguments become the template's context (with `detail`, the absolute link).
`send()` goes through `config.mail.send` (which sends once the transaction commits) and keeps a
`SentNotification` per recipient with an account, for « Mes notifications » (the person, who has
none, leaves no row); `forget_before` deletes them after the retention. `REGISTRY` lists every
class by its `kind` (« app.ClassName »).
"""

from accounts.models import User
from config import mail
from notifications.models import SentNotification

REGISTRY = {}


class Notification:
    label = ""
    template = ""
    subject_format = ""  # formatted with the context: "Relais pris : {fiche.personne}"
    # False: nothing kept of the message (no SentNotification), for the addresses that must
    # not be stored (a service shared with a person: `partage`).
    kept = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.kind = f"{cls.__module__.split('.')[0]}.{cls.__name__}"
        REGISTRY[cls.kind] = cls

    def __init__(self, **context):
        self.context = context

    def __getattr__(self, name):
        """The context's values read as attributes (`self.fiche`); methods come first."""
        try:
            return self.__dict__["context"][name]
        except KeyError:
            raise AttributeError(name) from None

    def recipients(self):
        raise NotImplementedError

    def subject(self):
        return self.subject_format.format(**self.context)

    def link(self):
        return ""

    def attachments(self):
        """[(file name, content as str or bytes, MIME type)] joined to every message."""
        return ()

    def headers(self):
        """{name: value} of headers added to every message (`List-Unsubscribe`…)."""
        return {}

    def send(self, exclude=(), now=False):
        """E-mails every recipient but those in `exclude` (addresses), once each; returns the
        set of addresses written to. The messages leave from the worker once the transaction
        commits, or, `now`, at once (for a task of the worker that records them as sent only
        then; raises one of config.mail.FAILURES when the mail server fails)."""
        addresses = {a.strip().lower() for a in self.recipients() if a} - {
            a.lower() for a in exclude if a
        }
        subject, link = self.subject(), self.link()
        parts = {"attachments": self.attachments(), "headers": self.headers()}
        context = self.context | {"detail": mail.absolute(link) if link else None}
        users = {u.email: u for u in User.objects.filter(email__in=addresses)} if self.kept else {}
        if now:
            mail.send_now(
                [
                    mail.render(self.template, a, subject, **parts, **context)
                    for a in sorted(addresses)
                ]
            )
        for address in sorted(addresses):
            if not now:
                mail.send(self.template, address, subject, **parts, **context)
            if address in users:
                SentNotification.objects.create(
                    recipient=users[address], email=address, kind=self.kind,
                    subject=subject[:255], link=link,
                )  # fmt: skip
        return addresses


def forget_before(moment):
    """Deletes what was kept of the notifications sent before `moment` (their subjects name
    people); returns how many."""
    return SentNotification.objects.filter(sent_at__lt=moment).delete()[0]
