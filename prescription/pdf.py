"""The printable recap handed to the person: where to go, when, what to bring, whom to call."""

from django.utils import timezone
from django.utils.formats import date_format

from catalogue import horaires
from catalogue.presentation import contact
from config.pdf import Document
from prescription.states import Statut
from territoires import fuseaux


def _where_it_happens(prescription):
    """The appointment in the structure's time zone, named when it is not Paris's."""
    return fuseaux.local_text(prescription.rdv_le, prescription.fuseau_horaire)


def _day(prescription):
    """The appointment's day where it happened."""
    moment = timezone.localtime(prescription.rdv_le, prescription.fuseau_horaire)
    return date_format(moment, "j F Y")


def where_it_stands(prescription):
    """One sentence for the person, following the status (a refused prescription never says
    « La structure vous contactera »)."""
    counsellor = f"Votre conseiller ou conseillère ({prescription.prescripteur}) vous proposera une autre solution."
    match prescription.statut:
        case Statut.RDV_FIXE:
            return f"Rendez-vous le {_where_it_happens(prescription)}, {prescription.rdv_lieu}."
        case Statut.PERSONNE_RECUE:
            return f"Vous avez été reçu(e) le {_day(prescription)}."
        case Statut.PERSONNE_ABSENTE:
            return (
                f"Vous n'êtes pas venu(e) au rendez-vous du {_where_it_happens(prescription)} : "
                "contactez la structure ou votre conseiller ou conseillère."
            )
        case Statut.REFUSEE:
            return f"La structure n'a pas pu donner suite ({prescription.get_motif_refus_display().lower()}). {counsellor}"
        case Statut.EXPIREE:
            return f"La structure n'a pas répondu. {counsellor}"
        case Statut.ANNULEE:
            return "Cette orientation a été annulée."
        case Statut.BROUILLON:
            return "Cette orientation n'est pas encore envoyée."
    due = date_format(prescription.rdv_attendu_avant, "j F Y")
    return f"La structure vous contactera. Rendez-vous attendu avant le {due}."


def recapitulatif(prescription):
    service = prescription.service
    pdf = Document(f"Votre orientation vers « {service.nom} »")
    pdf.line(
        f"Pour {prescription.prenom} {prescription.nom}, proposée par {service.structure.nom}."
    )
    pdf.line(f"Statut : {prescription.get_statut_display()}.")

    pdf.heading("Où en est votre orientation")
    pdf.line(where_it_stands(prescription))

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

    public = contact(service, professional=False)
    pdf.heading(public.titre)
    for line in public.lines:
        pdf.line(line)
    prescripteur = prescription.prescripteur
    pdf.line(
        f"Votre conseiller ou conseillère : {prescripteur.get_full_name()} ({prescripteur.email})"
    )
    return pdf.bytes()
