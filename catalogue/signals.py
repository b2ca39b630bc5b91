"""Signals the catalogue sends for changes that bypass `save()` (bulk imports and updates)."""

from django.dispatch import Signal

# Sent inside the transaction of a bulk write, with `identifiants`: the data·inclusion ids of
# the structures or services (the sender) written.
offer_imported = Signal()
