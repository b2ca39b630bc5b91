"""The portal's own actions in an object's history (Wagtail's log, shown by the « Historique »
view of a structure or a service): each app declares a table {action: (label, message)} and
registers it from its `wagtail_hooks.py` (`register`); `record` writes one entry. A message is
a `str.format` pattern over the entry's data (a missing key reads as empty)."""

from collections import defaultdict

from wagtail.log_actions import LogFormatter, log


class DataFormatter(LogFormatter):
    def format_message(self, log_entry):
        return self.message.format_map(defaultdict(str, log_entry.data or {}))


def register(actions, table):
    """Registers every action of `table` ({action: (label, message pattern)}) in `actions`,
    the registry the `register_log_actions` hook receives."""
    for action, (label, message) in table.items():
        formatter = type("Formatter", (DataFormatter,), {"label": label, "message": message})
        actions.register_action(action)(formatter)


def record(instance, action, user=None, **data):
    """Writes `action` in `instance`'s history, done by `user` (None: the system, or a signed
    link when `data` says so); `data` (JSON values) fills the action's message."""
    log(instance, action, user=user, data=data)
