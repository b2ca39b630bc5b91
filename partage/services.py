"""What a person is told about services: one home for « Partager » (one service, by e-mail),
« Envoyer par e-mail » and « Imprimer / PDF » (a selection).

- `describe` gives what is told about one service: name, what it is, conditions, address,
  hours in French, the contact and the page's link.
- Contact: as the reader may see it (`catalogue.presentation.contact`). An e-mail goes to
  someone unknown (the person, a colleague): it always carries the public contact — the
  structure's when the service's is private. A printout shows what its reader is entitled to.
- Who may send (`send`): a professional (logged in), `SHARE_RATE_LIMIT_PROFESSIONAL` e-mails an
  hour; an anonymous visitor too (the person sending a service to her own address),
  `SHARE_RATE_LIMIT_ANONYMOUS` an hour per client address (`config.network`). The e-mail holds
  only the portal's text, nothing typed by the sender: it cannot carry anyone's message.
- The recipient's address is used once and forgotten: the message leaves at once (not through
  the worker's tasks, which the database keeps), nothing is kept of it (`kept = False`: no
  « Mes notifications » row), it is never logged, and neither the subject nor the confirmation
  names it.
"""

from dataclasses import dataclass

from django.conf import settings

from catalogue.presentation import Contact, contact, service_sections
from config import mail, throttle
from config.network import client_address
from partage import pdf
from partage.notifications import ServicesPartages

WINDOW = 3600  # seconds: the rate limits count e-mails an hour


@dataclass(frozen=True)
class ServiceInfo:
    """What a person is told about one service; `horaires`: lines in French; `adresse`: where
    to go (the structure's for a service without its own, see `Service.lieu_accueil`), "" for
    a service at a distance; `url`: its page, absolute; position in degrees (WGS 84) or None."""

    nom: str
    structure: str
    description: str
    frais: str
    conditions_acces: str
    modes_accueil: list[str]
    sur_place: bool
    adresse: str
    commune: str
    horaires: list[str]
    contact: Contact
    url: str
    latitude: float | None
    longitude: float | None


def describe(service, professional=False):
    """The `ServiceInfo` of `service` for a reader who is (`professional`) or not logged in."""
    sections = service_sections(service)
    lieu = service.lieu_accueil
    on_site = service.sur_place and lieu.has_coordinates
    frais = " — ".join(part for part in (sections["frais"], service.frais_precisions) if part)
    return ServiceInfo(
        nom=service.nom,
        structure=service.structure.nom,
        description=service.description,
        frais=frais,
        conditions_acces=service.conditions_acces,
        modes_accueil=sections["modes_accueil"],
        sur_place=service.sur_place,
        adresse=lieu.adresse_complete if service.sur_place else "",
        commune=lieu.commune,
        horaires=sections["horaires"],
        contact=contact(service, professional),
        url=mail.absolute(service.get_absolute_url()),
        latitude=lieu.latitude if on_site else None,
        longitude=lieu.longitude if on_site else None,
    )


class Limited(Exception):
    """The sender sent too many e-mails this hour; `wait`: seconds until the next window."""

    def __init__(self, wait):
        super().__init__(wait)
        self.wait = wait


def _check_limit(request):
    """Counts one e-mail for the sender of `request`; raises `Limited` beyond the limit."""
    user = request.user
    if user.is_authenticated:
        wait = throttle.hit(
            "partage-professionnel", user.pk, settings.SHARE_RATE_LIMIT_PROFESSIONAL, WINDOW
        )
    else:
        limit = settings.SHARE_RATE_LIMIT_ANONYMOUS
        wait = throttle.hit("partage-anonyme", client_address(request), limit, WINDOW)
    if wait:
        raise Limited(wait)


def send(services, address, request):
    """E-mails `services` (a non-empty list of `Service`) to `address`, at once, with their
    printable list attached; the sender is `request`'s. Raises `Limited` beyond the sender's
    limit, one of `config.mail.FAILURES` when the mail server fails."""
    _check_limit(request)
    infos = [describe(service) for service in services]
    user = request.user
    ServicesPartages(
        infos=infos,
        address=address,
        sender=(user.get_full_name() or user.email) if user.is_authenticated else "",
        printable=pdf.selection(infos),
    ).send(now=True)
