"""The one workflow engine: prescriptions, fiches relais and the commission's situations change
state here and nowhere else.

A workflow is a table of `Action`s (name, label, source states, target state, the role that
takes it, the fields it may write, the clocks it stamps, an optional guard) and named groups of
states beside it (`prescription/states.py`, `fiche_relais/states.py`). `Workflow.apply()`:

1. reads the current row under lock (`SELECT … FOR UPDATE`; SQLite serialises writers instead)
   and checks its state against the action's sources, then the action's guard;
2. updates it conditionally (`WHERE pk = … AND state = <the state read>`);
3. appends to the log the state really left, who, how (`Via`), when and the message.

Two tabs, two clicks or two workers acting at once: the second waits for the first's lock, then
reads the new state and is refused with a message for the user (`TransitionRefusee`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class Via(models.TextChoices):
    """How the actor reached the action."""

    COMPTE = "compte", "Compte"
    LIEN_SIGNE = "lien signé", "Lien signé"
    SYSTEME = "système", "Système"


class TransitionRefusee(Exception):
    """The action is not possible from the current state, by this actor, or not yet; the
    message is for the user."""


@dataclass(frozen=True)
class Action:
    """One row of a workflow's table.

    `fields`: the model fields a caller may write with the action (anything else is a
    programming error). `stamps`: datetime fields set to now the first time (kept when already
    set). `guard(row, user, now)`: on the locked row, a refusal message, or "" to go on.
    """

    name: str
    label: str
    sources: frozenset[str]
    target: str
    actor: str
    fields: frozenset[str] = frozenset()
    stamps: tuple[str, ...] = ()
    guard: Callable | None = field(default=None, compare=False)


def action(name, label, sources, target, actor, *, fields=(), stamps=(), guard=None):
    """Declares an `Action` (sources and fields as any iterable)."""
    return Action(
        name, label, frozenset(sources), target, actor, frozenset(fields), tuple(stamps), guard
    )


def state_fields(choices):
    """(from_state, to_state) of a concrete log, with its workflow's state `choices`."""
    return (
        models.CharField("état de départ", max_length=20, choices=choices),
        models.CharField("état d'arrivée", max_length=20, choices=choices),
    )


class TransitionLog(models.Model):
    """An append-only log row: `from_state` is the state the locked row really had. A concrete
    log adds its foreign key and `from_state, to_state = state_fields(Statut)`."""

    from_state = models.CharField("état de départ", max_length=20)
    to_state = models.CharField("état d'arrivée", max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="par",
    )  # fmt: skip
    via = models.CharField(max_length=20, choices=Via)
    message = models.TextField(blank=True)
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Le journal des transitions ne se modifie pas : ajoutez une ligne.")
        super().save(*args, **kwargs)


class Workflow:
    """The engine for one model. `model` and `log` are « app.Model » labels (the table module
    is imported by the model module); `log_fk` is the log's foreign key to the model; `noun`
    starts the refusal message (« Cette prescription »); `labels` names the states."""

    def __init__(self, *, model, log, log_fk, noun, labels, actions, state_field="statut"):
        self.model_label, self.log_label, self.log_fk = model, log, log_fk
        self.noun, self.labels, self.state_field = noun, dict(labels), state_field
        self.actions = {a.name: a for a in actions}
        unknown = {s for a in actions for s in a.sources | {a.target}} - set(self.labels)
        if unknown:
            raise ValueError(f"États inconnus dans la table : {sorted(unknown)}")

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def log(self):
        return apps.get_model(self.log_label)

    def available(self, obj, actor):
        """The actions `actor` may take from the object's (in-memory) state, table order."""
        state = getattr(obj, self.state_field)
        return [a for a in self.actions.values() if a.actor == actor and state in a.sources]

    def apply(self, obj, name, *, actor, user=None, via=Via.COMPTE, message="", **changes):
        """Moves `obj` through the action `name`, writing `changes` with it; returns `obj`
        refreshed. Raises TransitionRefusee (state, actor or guard), ValueError for a field the
        action may not write, KeyError for an unknown action."""
        action = self.actions[name]
        if action.actor != actor:
            raise TransitionRefusee("Vous ne pouvez pas faire cette action.")
        if extra := set(changes) - action.fields:
            raise ValueError(f"« {name} » n'écrit pas {sorted(extra)}")
        now = timezone.now()
        with transaction.atomic():
            row = self.model.objects.select_for_update().get(pk=obj.pk)
            current = getattr(row, self.state_field)
            if current not in action.sources:
                raise TransitionRefusee(
                    f"{self.noun} est déjà « {self.labels[current]} » : "
                    f"l'action « {action.label} » n'est plus possible."
                )
            if action.guard and (refusal := action.guard(row, user, now)):
                raise TransitionRefusee(refusal)
            values = {stamp: now for stamp in action.stamps if getattr(row, stamp) is None}
            values |= changes | {self.state_field: action.target}
            updated = self.model.objects.filter(pk=obj.pk, **{self.state_field: current}).update(
                **values
            )
            if updated != 1:  # the lock makes this impossible; never log what did not happen
                raise TransitionRefusee(f"{self.noun} a changé entre-temps : recommencez.")
            self.log.objects.create(
                **{f"{self.log_fk}_id": obj.pk}, from_state=current, to_state=action.target,
                user=user, via=via, message=message, at=now,
            )  # fmt: skip
        obj.refresh_from_db()
        return obj
