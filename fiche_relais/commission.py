"""The commission SPIE's agenda (seed 001, « COMMISSION SPIE 13 »: « ordre du jour constitué par
les participants », « la coordination qui déclenche les commissions et invitations », « une
journée »): inviting participants by e-mail with the day as an iCalendar (.ics, RFC 5545) event,
and proposing the référents of its situations as participants (`services.inscrire` tells them a
situation is on the agenda).

The invitations carry no person's name: participants read the agenda at the meeting; the
référents, who know the person, are told which of their situations is on it.
"""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.mail import absolute
from fiche_relais import notifications
from fiche_relais.models import Etape, Participant

ICS_MIMETYPE = "text/calendar; charset=utf-8; method=PUBLISH"
LINE_OCTETS = 75  # RFC 5545 §3.1: lines longer than this are folded


def _escape(text):
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line):
    """One content line, folded every LINE_OCTETS octets without cutting a UTF-8 character."""
    parts, current = [], ""
    for char in line:
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1  # continuation lines start with " "
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def motifs(commission):
    """« 2 situations : Absence d'offre, Durée du parcours » — the agenda without names."""
    situations = list(commission.situations.all())
    count = f"{len(situations)} situation{'s' if len(situations) > 1 else ''}"
    labels = sorted({s.get_motif_display() for s in situations})
    return (
        f"{count} : {', '.join(labels)}" if labels else "aucune situation inscrite pour l'instant"
    )


def ics(commission, now=None):
    """The commission as an all-day event (str, CRLF lines): the same UID for every invitation,
    so that a second one updates the first in the participant's calendar."""
    now = now or timezone.now()
    end = commission.date + timedelta(days=1)
    description = (
        f"Commission SPIE ({commission.coordination}). Ordre du jour : {motifs(commission)}. "
        f"{absolute(commission.get_absolute_url())}"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Portail de l'offre d'insertion SPIE//Commission SPIE//FR",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:commission-{commission.pk}@{urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc}",
        f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{commission.date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{_escape(f'Commission SPIE — {commission.coordination}')}",
        f"LOCATION:{_escape(commission.lieu)}" if commission.lieu else "",
        f"DESCRIPTION:{_escape(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(f"{_fold(line)}\r\n" for line in lines if line)


@transaction.atomic
def inviter(commission, emails, user):
    """Invites each address (again if already invited: the .ics updates the event); returns the
    addresses invited."""
    event = ics(commission)
    for email in emails:
        Participant.objects.update_or_create(
            commission=commission, courriel=email,
            defaults={"invite_le": timezone.now(), "invite_par": user},
        )  # fmt: skip
        notifications.InvitationCommission(
            courriel=email, commission=commission, ordre_du_jour=motifs(commission),
            coordinateur=user, ics=event, ics_mimetype=ICS_MIMETYPE,
        ).send()  # fmt: skip
    return emails


def suggested(commission):
    """The référents of the situations on the agenda (current ones and who flagged them) not yet
    invited: seed 001 lists « les référents d'étape » among the commission's participants."""
    current = Etape.objects.filter(fin=None, personne__situations__commission=commission)
    current = current.values_list("referent__email", flat=True)
    flaggers = commission.situations.values_list("signalee_par__email", flat=True)
    invited = set(commission.participants.values_list("courriel", flat=True))
    return sorted({*current, *flaggers} - invited - {None, ""})
