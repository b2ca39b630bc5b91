"""How fresh a service's listing is: the rules of the actualisation, with their numbers.

A service says how often it should be confirmed (`frequence_maj`, 1, 3, 6 or 12 months); its
`date_maj` moves to today whenever its structure edits or confirms it (or its source sends it
again). From `date_maj`:
- **à jour** until `date_maj + frequence` (its *échéance*);
- **à actualiser** from the échéance: listed in its structure's monthly digest;
- **en retard** from `date_maj + 2 × frequence` (its *péremption*): at equal distance, search
  ranks it after fresher services (search orders ties by péremption, latest first);
- **masqué** from `date_maj + 12 months`: hidden from public (anonymous) search, still shown to
  professionals with a warning; flagged to its structure (digest) and to the coordination.
"""

import calendar
import datetime

FREQUENCES = [(1, "Tous les mois"), (3, "Tous les 3 mois"), (6, "Tous les 6 mois"),
              (12, "Tous les ans")]  # fmt: skip
FREQUENCE_PAR_DEFAUT = 6
MASQUE_APRES_MOIS = 12

A_JOUR, A_ACTUALISER, EN_RETARD, MASQUE = "a-jour", "a-actualiser", "en-retard", "masque"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def echeance(date_maj, frequence):
    return add_months(date_maj, frequence)


def peremption(date_maj, frequence):
    return add_months(date_maj, 2 * frequence)


def masque_le(date_maj):
    return add_months(date_maj, MASQUE_APRES_MOIS)


def visible_publiquement_depuis(today):
    """The oldest `date_maj` public search still shows."""
    return add_months(today, -MASQUE_APRES_MOIS) + datetime.timedelta(days=1)


def etat(date_maj, frequence, today):
    if today >= masque_le(date_maj):
        return MASQUE
    if today >= peremption(date_maj, frequence):
        return EN_RETARD
    if today >= echeance(date_maj, frequence):
        return A_ACTUALISER
    return A_JOUR


def anciennete(date_maj, today):
    """« aujourd'hui », « hier », « il y a 12 jours », « il y a 3 mois », « il y a plus d'un an »."""
    days = (today - date_maj).days
    if days <= 0:
        return "aujourd'hui"
    if days == 1:
        return "hier"
    if days < 60:
        return f"il y a {days} jours"
    if today < add_months(date_maj, 12):
        return f"il y a {days // 30} mois"
    return "il y a plus d'un an"
