"""The printable recap handed to the person: where to go, when, what to bring, whom to call."""

from django.utils import timezone
from django.utils.formats import date_format

from fpdf import FPDF

from catalogue import horaires

# The PDF core fonts speak Latin-1: typographic characters outside it get their plain form.
PLAIN = str.maketrans({"’": "'", "œ": "oe", "Œ": "OE", "…": "...", "–": "-", "—": "-",
                       "\u202f": " ", "\u00a0": " "})  # fmt: skip


def _latin1(text):
    return str(text).translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


class Recap(FPDF):
    def heading(self, text):
        self.set_font("Helvetica", "B", 13)
        self.ln(3)
        self.multi_cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 11)

    def line(self, text):
        self.multi_cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")


def recapitulatif(prescription):
    service = prescription.service
    pdf = Recap(format="A4")
    pdf.set_title(_latin1(f"Votre orientation vers {service.nom}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(
        0, 9, _latin1(f"Votre orientation vers « {service.nom} »"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 11)
    pdf.line(
        f"Pour {prescription.prenom} {prescription.nom}, proposée par {service.structure.nom}."
    )
    pdf.line(f"Statut : {prescription.get_statut_display()}.")

    pdf.heading("Votre rendez-vous")
    if prescription.rdv_le:
        when = date_format(timezone.localtime(prescription.rdv_le), "l j F Y à H\\hi")
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
    return bytes(pdf.output())
