"""The prescription's e-mails, in French, plain text and HTML, sent once the transaction commits."""

from django.urls import reverse

from config.mail import absolute
from config.mail import send as send_template


def send(name, recipient, subject, **context):
    send_template(f"prescription/emails/{name}.txt", recipient, subject, **context)


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
