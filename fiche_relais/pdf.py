"""Printables: the fiche relais for the tripartite meeting, and for the person the list of
who read her fiches."""

from django.utils import timezone
from django.utils.formats import date_format

from config.pdf import Document
from fiche_relais.models import Lecture
from fiche_relais.template import DIAGNOSTIC_ITEMS, DIAGNOSTIC_STATUTS, SECTIONS


def fiche(fiche, version):
    pdf = Document(f"Fiche relais SPIE — {fiche.personne}")
    personne = fiche.personne
    pdf.line(
        f"Version {version.numero} — {fiche.get_statut_display()} — {fiche.auteur} ({fiche.structure_auteur})"
    )
    pdf.heading("Personne accompagnée")
    pdf.line(f"{personne.prenom} {personne.nom}, {personne.commune.nom}")
    pdf.line(" · ".join(part for part in (personne.telephone, personne.courriel) if part))
    for title, fields in SECTIONS:
        pdf.heading(title)
        for name, label in fields:
            pdf.field(label, version.contenu.get(name, ""))
    pdf.heading("Socle commun de diagnostic")
    statuts = dict(DIAGNOSTIC_STATUTS)
    for slug, label, sphere in DIAGNOSTIC_ITEMS:
        item = version.contenu["diagnostic"][slug]
        if item["statut"] or item["commentaire"]:
            pdf.line(
                f"{sphere} — {label} : {statuts.get(item['statut'], '')} {item['commentaire']}".strip()
            )
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
