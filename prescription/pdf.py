"""The printable recap handed to the person: where to go, when, what to bring, whom to call."""

from django.utils.formats import date_format

from catalogue import horaires
from config.pdf import Document
from territoires import fuseaux


def recapitulatif(prescription):
    service = prescription.service
    pdf = Document(f"Votre orientation vers « {service.nom} »")
    pdf.line(
        f"Pour {prescription.prenom} {prescription.nom}, proposée par {service.structure.nom}."
    )
    pdf.line(f"Statut : {prescription.get_statut_display()}.")

    pdf.heading("Votre rendez-vous")
    if prescription.rdv_le:
        when = fuseaux.local_text(prescription.rdv_le, prescription.fuseau_horaire)
        pdf.line(f"Le {when}, {prescription.rdv_lieu}.")
    else:
        pdf.line(f"La structure vous contactera. Rendez-vous attendu avant le "
                 f"{date_format(prescription.rdv_attendu_avant, 'j F Y')}.")  # fmt: skip

    pdf.heading("Adresse")
    pdf.line(
        service.adresse_complete or service.structure.adresse_complete or "Service à distance."
    )
    if lignes := horaires.humanize(service.horaires):
        pdf.heading("Horaires d'ouverture")
        for ligne in lignes:
            pdf.line(ligne)

    pdf.heading("À apporter")
    pdf.line(prescription.a_apporter or "Une pièce d'identité et ce document.")
    if service.conditions_acces:
        pdf.line(f"Conditions d'accès : {service.conditions_acces}")

    pdf.heading("Contact")
    for value in (service.telephone, service.courriel, service.structure.telephone):
        if value:
            pdf.line(value)
    prescripteur = prescription.prescripteur
    pdf.line(
        f"Votre conseiller ou conseillère : {prescripteur.get_full_name()} ({prescripteur.email})"
    )
    return pdf.bytes()
