"""The prescription's e-mails, in French, plain text and HTML, sent once the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL + path


def send(template, recipient, subject, **context):
    if not recipient:
        return
    context |= {"site_url": settings.WAGTAILADMIN_BASE_URL}
    text = render_to_string(f"prescription/emails/{template}.txt", context)
    html = render_to_string("prescription/emails/base.html", {"text": text, "subject": subject})
    message = EmailMultiAlternatives(subject, text, to=[recipient])
    message.attach_alternative(html, "text/html")
    transaction.on_commit(message.send)


def structure_recipient(prescription):
    service = prescription.service
    return service.courriel or service.structure.courriel


def to_structure(prescription, template, subject, link_token=None):
    link = absolute(reverse("prescription:lien", args=[link_token])) if link_token else None
    send(
        template, structure_recipient(prescription), subject,
        prescription=prescription, link=link,
        detail=absolute(prescription.get_absolute_url()),
    )  # fmt: skip


def to_prescripteur(prescription, template, subject):
    send(
        template, prescription.prescripteur.email, subject,
        prescription=prescription, detail=absolute(prescription.get_absolute_url()),
    )  # fmt: skip


def to_person(prescription, template, subject):
    send(template, prescription.courriel, subject, prescription=prescription)
