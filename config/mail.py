"""Sending the portal's e-mails: French plain text from a template, the same as HTML, once the
transaction commits (nothing is announced that did not happen).

What reaches a header (subject, recipient) is made safe first: a name typed with a line feed,
a tab or a NUL, or 10,000 characters long, must not make the message fail after the data it
announces is saved (a header refuses line feeds). The plain text is rendered without HTML
escaping (« l'emploi », not « l&#x27;emploi »); the HTML version escapes it.
"""

import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

logger = logging.getLogger(__name__)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
SPACES = re.compile(r"\s+")
SUBJECT_MAX_LENGTH = 150  # characters; a longer subject is cut, with an ellipsis


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL + path


def header_text(value, max_length=SUBJECT_MAX_LENGTH):
    """One line a header can carry: control characters (line feeds, tabs, NUL…) become
    spaces, spaces are collapsed, and the text is cut to `max_length` characters."""
    line = SPACES.sub(" ", CONTROL_CHARACTERS.sub(" ", str(value))).strip()
    return line if len(line) <= max_length else line[: max_length - 1].rstrip() + "…"


def render_plain_text(template, context):
    """A plain-text template rendered without HTML escaping; NUL characters dropped."""
    text = get_template(template).template.render(Context(context, autoescape=False))
    return text.replace("\x00", "")


def send(template, recipient, subject, *, attachments=(), **context):
    """`template` names a plain-text template (`app/emails/name.txt`); `attachments`:
    [(file name, content as bytes or str, MIME type)]. A recipient that is not one clean
    address is dropped (logged without it)."""
    if not recipient:
        return
    if header_text(recipient, max_length=254) != recipient:
        logger.warning("E-mail « %s » non envoyé : adresse du destinataire invalide.", template)
        return
    subject = header_text(subject)
    text = render_plain_text(template, context)
    html = render_to_string("emails/base.html", {"text": text, "subject": subject})
    message = EmailMultiAlternatives(subject, text, to=[recipient])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    transaction.on_commit(message.send)
