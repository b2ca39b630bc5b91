"""Moments shown to people: always in the portal's local time (`TIME_ZONE`, Europe/Paris).

A datetime is stored in UTC; formatted as is, 23:30 UTC on 14 March prints « 14/03 » where a
reader in Paris lived 00:30 on 15 March. Templates convert by themselves (`|date`); Python text
(f-strings, PDFs, messages) goes through `local`.
"""

from django.utils import timezone


def local(moment, pattern="%d/%m/%Y"):
    """`moment` (an aware datetime) in local time, as `pattern` (strftime) says."""
    return timezone.localtime(moment).strftime(pattern)
