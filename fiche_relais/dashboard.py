"""The coordination's dashboard: the figures of its territory over a period.

Every figure is a plain query on the tables the portal already keeps (parcours, fiches relais,
prescriptions, situations bloquées); nothing is stored twice.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.territories import coordinated_communes_filter
from catalogue.referentiels import categorie_of, label
from fiche_relais.models import Etape, FicheRelais, Personne, SituationBloquee
from prescription.models import MotifRefus, Prescription, Statut

RUPTURE_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class Period:
    start: object  # date
    end: object  # date, included


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def _in_period(field, period):
    return Q(**{f"{field}__date__gte": period.start, f"{field}__date__lte": period.end})


def figures(user, period, epci=None, now=None):
    now = now or timezone.now()
    territory = coordinated_communes_filter(user)
    if epci:
        territory &= Q(commune__epci_id=epci)
    personnes = Personne.objects.filter(territory)
    return {
        "personnes": _personnes(personnes, period, now),
        "premier_rdv": _first_appointments(territory, period),
        "fiches": _fiches(personnes, period, now),
        "situations": _situations(personnes, period),
        "prescriptions": _prescriptions(territory, period),
    }


def _personnes(personnes, period, now):
    entered = (
        Etape.objects.filter(personne__in=personnes, debut__gte=period.start, debut__lte=period.end)
        .values("personne")
        .distinct()
    )
    open_now = Etape.objects.filter(personne__in=personnes, fin=None).values("personne")
    closed_long_ago = personnes.exclude(pk__in=open_now).filter(
        etapes__fin__lte=(now - RUPTURE_AFTER).date()
    )
    return {"entrees": entered.count(), "ruptures": closed_long_ago.distinct().count()}


def _first_appointments(territory, period):
    sent = Prescription.objects.filter(territory, _in_period("envoyee_le", period))
    total = sent.count()
    durations = [
        p.rdv_le - p.envoyee_le for p in sent.exclude(rdv_le=None).only("rdv_le", "envoyee_le")
    ]
    within_15 = sum(d <= timedelta(days=15) for d in durations)
    within_month = sum(d <= timedelta(days=30) for d in durations)
    return {
        "prescriptions": total,
        "sous_15_jours": within_15,
        "sous_un_mois": within_month,
        "part_15_jours": _share(within_15, total),
        "part_un_mois": _share(within_month, total),
    }


def _fiches(personnes, period, now):
    sent = FicheRelais.objects.filter(personne__in=personnes).filter(
        _in_period("envoyee_le", period)
    )
    alert = timedelta(days=settings.FICHE_RELAIS_ALERT_DAYS)
    late = 0
    for fiche in sent.only("envoyee_le", "prise_en_charge_le"):
        taken = fiche.prise_en_charge_le or now
        late += taken - fiche.envoyee_le > alert
    return {
        "envoyees": sent.count(),
        "prises_en_charge": sent.filter(statut=FicheRelais.Statut.PRISE_EN_CHARGE).count(),
        "en_retard": late,
    }


def _situations(personnes, period):
    flagged = SituationBloquee.objects.filter(personne__in=personnes).filter(
        _in_period("signalee_le", period)
    )
    labels = dict(SituationBloquee.Motif.choices)
    by_reason = Counter(flagged.values_list("motif", flat=True))
    return {
        "total": flagged.count(),
        "resolues": flagged.filter(decision__situation_resolue=True).count(),
        "par_motif": [(labels[motif], by_reason.get(motif, 0)) for motif in labels],
    }


def _prescriptions(territory, period):
    sent = Prescription.objects.filter(territory, _in_period("envoyee_le", period)).select_related(
        "service"
    )
    per_service, per_categorie, full = Counter(), Counter(), Counter()
    for prescription in sent:
        service = prescription.service
        per_service[service.nom] += 1
        for categorie in {categorie_of(slug) for slug in service.thematiques}:
            per_categorie[label("categories", categorie)] += 1
        if (
            prescription.statut == Statut.REFUSEE
            and prescription.motif_refus == MotifRefus.PLUS_DE_PLACES
        ):
            full[service.nom] += 1
    return {
        "par_service": per_service.most_common(),
        "par_thematique": per_categorie.most_common(),
        "refus_plus_de_places": full.most_common(),
    }


def csv_rows(data):
    """The dashboard as (indicateur, valeur) rows."""
    rows = [
        ("Personnes entrées", data["personnes"]["entrees"]),
        (
            "Parcours en rupture (aucune étape ouverte depuis 30 jours)",
            data["personnes"]["ruptures"],
        ),
        ("Prescriptions envoyées", data["premier_rdv"]["prescriptions"]),
        ("Premier rendez-vous sous 15 jours", data["premier_rdv"]["sous_15_jours"]),
        ("Premier rendez-vous sous un mois", data["premier_rdv"]["sous_un_mois"]),
        ("Fiches relais envoyées", data["fiches"]["envoyees"]),
        ("Fiches relais prises en charge", data["fiches"]["prises_en_charge"]),
        ("Fiches relais en retard", data["fiches"]["en_retard"]),
        ("Situations bloquées", data["situations"]["total"]),
        ("Situations débloquées", data["situations"]["resolues"]),
    ]
    rows += [(f"Situations bloquées : {motif}", n) for motif, n in data["situations"]["par_motif"]]
    rows += [(f"Prescriptions : {nom}", n) for nom, n in data["prescriptions"]["par_service"]]
    rows += [
        (f"Prescriptions, thématique : {nom}", n)
        for nom, n in data["prescriptions"]["par_thematique"]
    ]
    rows += [
        (f"Refus « plus de places » : {nom}", n)
        for nom, n in data["prescriptions"]["refus_plus_de_places"]
    ]
    return rows


def bars(pairs, width=480, bar_height=22, gap=8, label_width=230):
    """Geometry of a horizontal bar chart for the SVG template: [(label, value, y, bar width)]."""
    top = max((value for _, value in pairs), default=0) or 1
    usable = width - label_width - 40
    return {
        "rows": [
            (text, value, i * (bar_height + gap), round(usable * value / top))
            for i, (text, value) in enumerate(pairs)
        ],
        "height": max(1, len(pairs)) * (bar_height + gap),
        "width": width,
        "label_width": label_width,
        "bar_height": bar_height,
    }
