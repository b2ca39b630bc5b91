"""Sending the portal's e-mails: French plain text from a template, the same as HTML, once the
transaction commits (nothing is announced that did not happen)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL + path


def send(template, recipient, subject, *, attachments=(), **context):
    """`template` names a plain-text template (`app/emails/name.txt`); `attachments`:
    [(file name, content as bytes or str, MIME type)]."""
    if not recipient:
        return
    text = render_to_string(template, context)
    html = render_to_string("emails/base.html", {"text": text, "subject": subject})
    message = EmailMultiAlternatives(subject, text, to=[recipient])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    transaction.on_commit(message.send)
