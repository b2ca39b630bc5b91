"""Printables: the fiche relais for the tripartite meeting, and for the person the list of
who read her fiches."""

from django.utils import timezone
from django.utils.formats import date_format

from config.pdf import Document
from fiche_relais import template
from fiche_relais.models import Lecture


def fiche(fiche, version):
    pdf = Document(f"Fiche relais SPIE — {fiche.personne}")
    pdf.line(
        f"Version {version.numero} — {fiche.get_statut_display()} — {fiche.auteur} ({fiche.structure_auteur})"
    )
    for title, rows in template.sections(version.contenu, fiche.personne):
        pdf.heading(title)
        if rows is None:
            rows = [
                (f"{sphere} — {label}", " ".join(part for part in (statut, commentaire) if part))
                for label, sphere, statut, commentaire in template.diagnostic_rows(version.contenu)
                if statut or commentaire
            ]
        for label, value in rows:
            pdf.field(label, value)
    pdf.heading("Consentement de la personne")
    pdf.line("Je, soussigné(e), accepte que ces informations soient transmises au prochain référent "
             "d'étape et à la coordination SPIE.")  # fmt: skip
    pdf.line("Signature de la personne :")
    return pdf.bytes()


def lectures(personne):
    pdf = Document(f"Qui a consulté vos fiches relais — {personne}")
    pdf.line(f"Édité le {date_format(timezone.localdate(), 'j F Y')}.")
    reads = Lecture.objects.filter(fiche__personne=personne).select_related("par", "version")
    for read in reads.order_by("le"):
        when = date_format(timezone.localtime(read.le), "j F Y à H\\hi")
        pdf.line(
            f"{when} : {read.par.get_full_name() or read.par.email} (version {read.version.numero})"
        )
    if not reads:
        pdf.line("Personne n'a encore consulté vos fiches.")
    return pdf.bytes()


def ordre_du_jour(commission):
    """The agenda printed for the meeting: each situation with the common presentation (seed
    001: « trame commune de présentation des situations »), the person named by first name and
    initial."""
    pdf = Document(f"Commission SPIE du {date_format(commission.date, 'l j F Y')}")
    pdf.line(f"{commission.coordination}" + (f" — {commission.lieu}" if commission.lieu else ""))
    participants = ", ".join(p.courriel for p in commission.participants.all())
    pdf.field("Participants invités", participants)
    pdf.heading("Ordre du jour")
    situations = commission.situations.select_related("personne__commune", "signalee_par")
    for number, situation in enumerate(situations.order_by("signalee_le"), start=1):
        personne = situation.personne
        pdf.heading(
            f"{number}. {personne.prenom} {personne.nom[:1]}. ({personne.commune.nom}) — "
            f"{situation.get_motif_display()}"
        )
        signalee = date_format(timezone.localtime(situation.signalee_le), "j F Y")
        pdf.line(f"Signalée par {situation.signalee_par} le {signalee}.")
        for label, value in situation.presentation():
            pdf.field(label, value)
    if not situations:
        pdf.line("Aucune situation inscrite pour l'instant.")
    return pdf.bytes()
