"""The coordination's dashboard: the figures of its territory over a period.

Every figure is a plain query on the tables the portal already keeps (parcours, fiches relais,
prescriptions, situations bloquées); nothing is stored twice. Each figure's formula, as shown on
the dashboard under « Comment est calculé ce chiffre ? », is in FORMULAS; the engagements they
measure are those of seed 001 (annexe au protocole départemental: « prise en charge dans le mois
suivant son entrée », « accompagnement […] dans les 15 jours », « taux de rupture de parcours »,
commission: « nombre de situations traitées »).
"""

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Max, Min, Q
from django.utils import timezone

from accounts.territories import Territory, coordinated_communes_filter
from catalogue.referentiels import categorie_of, label
from fiche_relais import states
from fiche_relais.models import FicheRelais, Personne, SituationBloquee
from prescription import states as prescription_states
from prescription.models import MotifRefus, Prescription, Statut

# A parcours whose last étape ended this long ago, with none open, is in rupture.
RUPTURE_AFTER = timedelta(days=30)
# Prescriptions closed without an appointment, counted apart: {state: key of the figures}.
SET_APART = {statut: f"{statut}s" for statut in sorted(prescription_states.CLOSED_WITHOUT_RDV)}

FORMULAS = {
    "entrees": (
        "Personnes dont la première étape de parcours (l'entrée dans le SPIE) commence dans la "
        "période, parmi celles qui habitent le territoire."
    ),
    "rdv_un_mois": (
        "Parmi les personnes entrées dans le SPIE pendant la période, celles dont le premier "
        "rendez-vous (le plus tôt des rendez-vous de leurs prescriptions, à partir de la date "
        "d'entrée) a eu lieu au plus tard un mois après l'entrée (même jour du mois suivant), "
        "divisé par celles dont ce premier rendez-vous a eu lieu ou dont le mois est écoulé. "
        "Un rendez-vous a eu lieu quand sa date est passée, que la personne soit venue ou non. "
        "Les personnes dont le mois court encore sans rendez-vous passé sont « en attente »."
    ),
    "rdv_15_jours": (
        "Parmi les prescriptions envoyées pendant la période, hors annulées, refusées et "
        "expirées (comptées à part), celles dont le rendez-vous a eu lieu au plus tard 15 jours "
        "après l'orientation (l'envoi de la prescription), divisé par celles dont le rendez-vous "
        "a eu lieu ou dont les 15 jours sont écoulés. Un rendez-vous futur ne compte pas encore : "
        "la prescription est « en attente » jusqu'à son rendez-vous ou jusqu'au 16e jour."
    ),
    "ruptures": (
        "Personnes du territoire, aujourd'hui, dont le parcours est interrompu : soit aucune étape "
        "n'est ouverte et la dernière s'est terminée il y a plus de 30 jours, soit une fiche "
        "relais attend preneur depuis plus de {rupture_days} jours (« risque de rupture »). "
        "Une personne dans les deux cas compte une fois."
    ),
    "fiches": (
        "Fiches relais envoyées pendant la période ; prises en charge : celles dont le relais a "
        "été pris ; en retard : celles prises ou encore en attente plus de {alert_days} jours "
        "après leur envoi."
    ),
    "situations": (
        "Situations bloquées signalées pendant la période ; traitées : celles pour lesquelles la "
        "commission SPIE a enregistré une décision (quelle qu'elle soit) ; débloquées : celles "
        "dont la décision dit la situation débloquée."
    ),
    "par_service": (
        "Prescriptions envoyées pendant la période, par service : un service est désigné par son "
        "nom, sa structure et sa commune (deux services de même nom restent deux lignes)."
    ),
}


@dataclass(frozen=True)
class Period:
    start: object  # date
    end: object  # date, included


def formulas():
    """FORMULAS with the configured delays filled in: {key: text}."""
    delays = {
        "rupture_days": settings.FICHE_RELAIS_RUPTURE_DAYS,
        "alert_days": settings.FICHE_RELAIS_ALERT_DAYS,
    }
    return {key: text.format(**delays) for key, text in FORMULAS.items()}


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def _in_period(field, period):
    return Q(**{f"{field}__date__gte": period.start, f"{field}__date__lte": period.end})


def one_month_after(day):
    """The same day of the next month, or its last day when shorter (31 January → 28 or 29
    February): « dans le mois suivant son entrée » (seed 001)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def figures(user, period, epci=None, now=None):
    now = now or timezone.now()
    territory = coordinated_communes_filter(user)
    if epci:
        territory &= Territory(epcis=frozenset({epci})).communes_filter()
    personnes = Personne.objects.filter(territory)
    entered = _entered(personnes, period)
    return {
        "personnes": {"entrees": len(entered), "ruptures": _ruptures(personnes, now)},
        "premier_rdv": _within_a_month(entered, now),
        "rdv_15_jours": _within_15_days(territory, period, now),
        "fiches": _fiches(personnes, period, now),
        "situations": _situations(personnes, period),
        "prescriptions": _prescriptions(territory, period),
    }


def _entered(personnes, period):
    """{personne_cle: date of entry} of the people whose first étape starts in the period."""
    firsts = personnes.annotate(entree=Min("etapes__debut")).filter(
        entree__gte=period.start, entree__lte=period.end
    )
    return dict(firsts.values_list("personne_cle", "entree"))


def _ruptures(personnes, now):
    today = timezone.localdate(now)
    without_open_step = personnes.exclude(etapes__fin=None).annotate(last_end=Max("etapes__fin"))
    ended = set(
        without_open_step.filter(last_end__lte=today - RUPTURE_AFTER).values_list("pk", flat=True)
    )
    stalled = set(
        _stalled_handovers(now).filter(personne__in=personnes).values_list("personne", flat=True)
    )
    return {
        "total": len(ended | stalled),
        "sans_etape": len(ended),
        "relais_en_souffrance": len(stalled),
    }


def _stalled_handovers(now):
    """The pending fiches that `FicheRelais.alerte` calls « risque de rupture » at `now`."""
    threshold = now - timedelta(days=settings.FICHE_RELAIS_RUPTURE_DAYS)
    return FicheRelais.objects.filter(statut__in=states.PENDING, envoyee_le__lt=threshold)


def _past_appointments(keys, now):
    """{personne_cle: [local dates of her appointments already past]}."""
    rows = Prescription.objects.filter(
        personne_cle__in=keys, statut__in=prescription_states.WITH_RDV, rdv_le__lte=now
    ).values_list("personne_cle", "rdv_le")
    dates = {}
    for key, rdv_le in rows:
        dates.setdefault(key, []).append(timezone.localdate(rdv_le))
    return dates


def _within_a_month(entered, now):
    today = timezone.localdate(now)
    appointments = _past_appointments(list(entered), now)
    measured = on_time = 0
    for key, entree in entered.items():
        first = min((day for day in appointments.get(key, []) if day >= entree), default=None)
        deadline = one_month_after(entree)
        if first is None and today <= deadline:
            continue
        measured += 1
        on_time += first is not None and first <= deadline
    return {
        "personnes": len(entered),
        "mesurees": measured,
        "sous_un_mois": on_time,
        "en_attente": len(entered) - measured,
        "part_un_mois": _share(on_time, measured),
    }


def _within_15_days(territory, period, now):
    sent = Prescription.objects.filter(territory, _in_period("envoyee_le", period))
    apart = Counter(sent.filter(statut__in=SET_APART).values_list("statut", flat=True))
    today = timezone.localdate(now)
    measured = on_time = pending = 0
    for prescription in sent.exclude(statut__in=SET_APART).only("envoyee_le", "rdv_le", "statut"):
        due = prescription.rdv_attendu_avant
        held = prescription.rdv_le is not None and prescription.rdv_le <= now
        if not held and today <= due:
            pending += 1
            continue
        measured += 1
        on_time += held and timezone.localdate(prescription.rdv_le) <= due
    return {
        "prescriptions": sent.count(),
        "mesurees": measured,
        "sous_15_jours": on_time,
        "en_attente": pending,
        "part_15_jours": _share(on_time, measured),
        **{name: apart.get(statut, 0) for statut, name in SET_APART.items()},
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
        "prises_en_charge": sent.filter(statut__in=states.TAKEN).count(),
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
        "traitees": flagged.filter(statut__in=states.TREATED).count(),
        "resolues": flagged.filter(decision__situation_resolue=True).count(),
        "par_motif": [(labels[motif], by_reason.get(motif, 0)) for motif in labels],
    }


def service_label(service):
    """A service told apart from its homonyms: « nom — structure (commune) »."""
    return f"{service.nom} — {service.structure.nom} ({service.commune or 'commune inconnue'})"


def _prescriptions(territory, period):
    sent = Prescription.objects.filter(territory, _in_period("envoyee_le", period)).select_related(
        "service__structure"
    )
    per_service, per_categorie, full, services = Counter(), Counter(), Counter(), {}
    for prescription in sent:
        service = prescription.service
        services[service.pk] = service
        per_service[service.pk] += 1
        for categorie in {categorie_of(slug) for slug in service.thematiques}:
            per_categorie[label("categories", categorie)] += 1
        if (
            prescription.statut == Statut.REFUSEE
            and prescription.motif_refus == MotifRefus.PLUS_DE_PLACES
        ):
            full[service.pk] += 1

    def labelled(counter):
        return [(service_label(services[pk]), n) for pk, n in counter.most_common()]

    return {
        "par_service": labelled(per_service),
        "par_thematique": per_categorie.most_common(),
        "refus_plus_de_places": labelled(full),
    }


def csv_rows(data):
    """The dashboard as (indicateur, valeur) rows."""
    personnes, ruptures = data["personnes"], data["personnes"]["ruptures"]
    month, fifteen = data["premier_rdv"], data["rdv_15_jours"]
    fiches, situations = data["fiches"], data["situations"]
    rows = [
        ("Personnes entrées dans le SPIE", personnes["entrees"]),
        ("Premier rendez-vous sous un mois après l'entrée", month["sous_un_mois"]),
        ("Personnes entrées, mesurables (rendez-vous passé ou mois écoulé)", month["mesurees"]),
        ("Personnes entrées, en attente", month["en_attente"]),
        ("Prescriptions envoyées", fifteen["prescriptions"]),
        ("Rendez-vous sous 15 jours après l'orientation", fifteen["sous_15_jours"]),
        ("Prescriptions mesurables (rendez-vous passé ou 15 jours écoulés)", fifteen["mesurees"]),
        ("Prescriptions en attente", fifteen["en_attente"]),
        ("Prescriptions annulées", fifteen["annulees"]),
        ("Prescriptions refusées", fifteen["refusees"]),
        ("Prescriptions expirées", fifteen["expirees"]),
        ("Parcours en rupture", ruptures["total"]),
        ("Parcours en rupture : sans étape ouverte depuis 30 jours", ruptures["sans_etape"]),
        ("Parcours en rupture : relais en souffrance", ruptures["relais_en_souffrance"]),
        ("Fiches relais envoyées", fiches["envoyees"]),
        ("Fiches relais prises en charge", fiches["prises_en_charge"]),
        ("Fiches relais en retard", fiches["en_retard"]),
        ("Situations bloquées", situations["total"]),
        ("Situations traitées (avec une décision)", situations["traitees"]),
        ("Situations débloquées", situations["resolues"]),
    ]
    rows += [(f"Situations bloquées : {motif}", n) for motif, n in situations["par_motif"]]
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
