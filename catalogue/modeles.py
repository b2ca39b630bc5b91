"""Modèles de service: a network describes a service once, structures run it as their own copy.

- A copy is an ordinary `Service` (search, export and API treat it like any other) whose
  `modele` names its model; its `MODELE_FIELDS` start as the model's, its place, hours,
  contacts and zone are its own.
- `Service.valeurs_modele` holds, per model field, the model's value the copy has settled
  (copied, accepted or refused). A field is proposed to the copy while the model's value differs
  both from that settled value and from the copy's own: refusing keeps the copy's value and
  settles the model's, so it is proposed again only when the model changes it again.
- Each decision is a line in the copy's history (Wagtail's log, actions below), and the
  decisions taken together make one revision of the copy.
- Who runs a model's service in a territory: `modeles_in_territory` (`accounts.territories`).
"""

import copy
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.territories import coordinated_codes
from catalogue import membres, moderation, notifications
from catalogue.fields import ChoiceListField
from catalogue.models import MODELE_FIELDS, ModeleService, Service, Structure
from catalogue.permissions import ADMIN_ONLY, ANY_ROLE, structure_ids
from catalogue.referentiels import label
from config.history import record

COPIED = "catalogue.modele_copie"
ACCEPTED = "catalogue.modele_accepte"
REFUSED = "catalogue.modele_refuse"
# A copy's history (config.history): {action: (label, message pattern)}.
LOG_ACTIONS = {
    COPIED: ("Création depuis un modèle", "Service créé à partir d'un modèle"),
    ACCEPTED: (
        "Modification du modèle acceptée",
        "Modification du modèle acceptée : {field} (« {value} »)",
    ),
    REFUSED: (
        "Modification du modèle refusée",
        "Modification du modèle refusée : {field} (« {value} »)",
    ),
}
_UNSETTLED = object()


@dataclass(frozen=True)
class Proposal:
    """A model's value proposed for one field of a copy: `field` (the field's name), `label`,
    `current` (the copy's value) and `proposed` (the model's)."""

    field: str
    label: str
    current: object
    proposed: object

    @property
    def current_text(self):
        return as_text(self.field, self.current)

    @property
    def proposed_text(self):
        return as_text(self.field, self.proposed)


def as_text(name, value):
    """A model field's value as people read it: labels rather than slugs, "" when empty."""
    field = Service._meta.get_field(name)
    if isinstance(field, ChoiceListField):
        return ", ".join(label(field.referentiel, slug) for slug in value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return "" if value is None else str(value)


def model_values(instance):
    """{field: value} of the `MODELE_FIELDS` of a model or a copy (lists copied)."""
    return {name: copy.deepcopy(getattr(instance, name)) for name in MODELE_FIELDS}


def copy_targets(user):
    """The structures where `user` may create a copy: the structures they belong to, and the
    antennes of those they administer (a network pushes its model to its antennes)."""
    if user.is_superuser:
        return Structure.objects.all()
    return Structure.objects.filter(
        Q(pk__in=structure_ids(user, ANY_ROLE))
        | Q(structure_parente__in=structure_ids(user, ADMIN_ONLY))
    )


def new_copy(modele):
    """An unsaved draft copy of `modele`, its place, hours, contacts and zone to be filled."""
    return Service(
        modele=modele, statut=Service.Statut.BROUILLON, valeurs_modele=model_values(modele),
        **model_values(modele),
    )  # fmt: skip


@transaction.atomic
def save_copy(service, user):
    """Saves a completed `new_copy` with its first revision and a line in its history; a
    member's copy published in a structure with « publication après relecture » waits for
    review, as any new service (`moderation.hold_for_review`)."""
    held = moderation.hold_for_review(service, user, previous_statut=None)
    service.save()
    service.save_revision(user=user, clean=False)
    record(service, COPIED, user, modele=service.modele.nom)
    if held:
        moderation.submit_for_review(service, user)
    return service


def proposals(service):
    """The model's values pending for `service`, in the order of `MODELE_FIELDS` ([] for a
    service without model)."""
    modele = service.modele
    if modele is None:
        return []
    settled = service.valeurs_modele
    return [
        Proposal(name, _label(name), getattr(service, name), getattr(modele, name))
        for name in MODELE_FIELDS
        if getattr(modele, name) not in (settled.get(name, _UNSETTLED), getattr(service, name))
    ]


def _label(name):
    return str(Service._meta.get_field(name).verbose_name).capitalize()


@transaction.atomic
def decide(service, user, decisions):
    """Applies `decisions` ({field: True to accept, False to refuse}) to the pending
    proposals of `service` (read again under lock: a second decision finds nothing left);
    the other fields stay pending. Returns the proposals decided. Raises ValidationError
    when an accepted value makes the service invalid (then nothing is saved)."""
    service = (
        Service.objects.select_for_update(of=("self",)).select_related("modele").get(pk=service.pk)
    )
    decided = [p for p in proposals(service) if p.field in decisions]
    if not decided:
        return []
    accepted = [p for p in decided if decisions[p.field]]
    for proposal in decided:
        service.valeurs_modele[proposal.field] = proposal.proposed
    for proposal in accepted:
        setattr(service, proposal.field, copy.deepcopy(proposal.proposed))
    if accepted:
        service.date_maj = timezone.localdate()
    service.full_clean()
    service.save()
    service.save_revision(user=user, clean=False)
    for proposal in decided:
        action = ACCEPTED if proposal in accepted else REFUSED
        record(service, action, user, field=proposal.label, value=proposal.proposed_text)
    return decided


def propose(modele, changed):
    """After `modele` was saved with the `changed` fields (names): e-mails the admins of each
    copy to which one of them is now proposed. Returns those copies."""
    told = []
    for service in modele.copies.select_related("structure"):
        service.modele = modele
        pending = proposals(service)
        if {p.field for p in pending} & set(changed):
            admins = membres.admins(service.structure)
            notifications.ModeleModifie(service, pending, admins).send()
            told.append(service)
    return told


def pending_copies(services):
    """Those of `services` (a queryset) that are copies with proposals pending."""
    copies = services.filter(modele__isnull=False).select_related("modele", "structure")
    return [service for service in copies if proposals(service)]


def modeles_in_territory(user):
    """Every model, each with `territory_copies`: its copies (not archived) run by the
    structures of the territories `user` coordinates (none outside every coordination)."""
    copies = (
        Service.objects.filter(structure__code_insee__in=coordinated_codes(user))
        .exclude(statut=Service.Statut.ARCHIVE)
        .select_related("structure")
        .order_by("structure__nom")
    )
    return ModeleService.objects.select_related("structure").prefetch_related(
        Prefetch("copies", queryset=copies, to_attr="territory_copies")
    )
