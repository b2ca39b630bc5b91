"""The editorial pages of the demo: home, livret d'accueil and lexique (editable in Wagtail).

Written in our own words from the facts of the SPIE documents (seed 001).
"""

from django.conf import settings
from django.db import transaction

from wagtail.models import Locale, Page, Site

from pages.models import ContentPage, HomePage


def _paragraph(html):
    return ("paragraph", html)


def _accordion(items):
    return ("accordion", {"items": [{"title": title, "text": text} for title, text in items]})


HOME_INTRODUCTION = (
    "Trouvez, près du domicile de la personne que vous accompagnez, le service qui répond à sa "
    "situation : logement, mobilité, garde d'enfants, santé, formation, emploi."
)
HOME_BODY = [
    ("heading", "Les engagements du service public de l'insertion et de l'emploi"),
    (
        "callout",
        {
            "title": "Moins de 20 km, moins d'un mois",
            "text": "<p>Toute personne qui entre dans le SPIE est reçue dans le mois, dans un lieu situé à "
            "moins de 20 km de chez elle. Son accompagnement démarre dans les 15 jours qui suivent "
            "son orientation.</p>",
        },
    ),
    _paragraph(
        "<p>Le portail recense les services des structures du territoire. Les professionnels y "
        "orientent les personnes et se passent le relais sans qu'elles aient à raconter leur "
        "histoire plusieurs fois.</p>"
    ),
]

LIVRET_INTRODUCTION = (
    "Ce livret explique ce que le service public de l'insertion et de l'emploi vous apporte, "
    "comment se déroule votre parcours, et ce que chacun s'engage à faire."
)
LIVRET_BODY = [
    ("heading", "À quoi sert le SPIE ?"),
    _paragraph(
        "<p>Retrouver un emploi est parfois difficile pour des raisons qui ne tiennent pas "
        "seulement au travail : un logement à trouver, pas de moyen de transport, des enfants à "
        "faire garder, des soucis de santé ou d'argent. Le SPIE réunit le Département, l'État, "
        "France Travail, la CAF, les missions locales, les associations et les entreprises pour "
        "traiter toutes ces difficultés ensemble.</p>"
        "<p>Son but : un parcours plus simple, des démarches plus rapides, un professionnel qui "
        "vous suit à chaque étape et des solutions qui vous correspondent. Vous n'expliquez votre "
        "situation qu'une seule fois.</p>"
    ),
    ("heading", "Votre parcours, étape par étape"),
    _accordion(
        [
            (
                "Le premier rendez-vous",
                "<p>Dans le mois qui suit votre entrée, un professionnel vous reçoit seul à seul, à "
                "moins de 20 km de chez vous, pendant 30 à 45 minutes. Ensemble, vous faites le "
                "point sur votre situation personnelle et professionnelle : c'est le diagnostic.</p>",
            ),
            (
                "Votre référent d'étape",
                "<p>Après ce diagnostic, vous êtes orienté vers un professionnel proche de chez "
                "vous : votre référent d'étape. Il commence à vous accompagner dans les 15 jours. "
                "Selon les étapes de votre parcours, d'autres référents peuvent prendre le relais ; "
                "ils se transmettent les informations utiles avec votre accord, grâce à la fiche "
                "relais.</p>",
            ),
            (
                "Votre contrat d'engagement",
                "<p>Avec votre référent, vous signez un contrat qui fixe vos objectifs et les "
                "actions à mener. Vous choisissez ces actions avec lui, selon vos envies et vos "
                "possibilités. Vous faites régulièrement le point ensemble pour ajuster la "
                "suite.</p>",
            ),
            (
                "La coordination SPIE",
                "<p>Une équipe de coordination veille à ce que votre parcours avance sans "
                "interruption. Si votre situation est bloquée, elle peut la présenter à la "
                "commission SPIE, qui réunit les partenaires pour chercher une solution.</p>",
            ),
        ]
    ),
    ("heading", "Vos droits et vos devoirs"),
    _paragraph(
        "<ul><li>Vous pouvez percevoir une allocation (RSA, allocation chômage…) selon votre "
        "situation.</li><li>Vous avez droit à un accompagnement par un professionnel pour vos "
        "difficultés sociales et professionnelles.</li><li>Vous vous engagez à réaliser les "
        "actions prévues dans votre contrat et à venir aux rendez-vous.</li><li>Si vous ne "
        "respectez pas vos engagements, votre allocation peut être suspendue, voire supprimée."
        "</li></ul>"
    ),
]

LEXIQUE_INTRODUCTION = (
    "Les mots du service public de l'insertion et de l'emploi, expliqués simplement."
)
LEXIQUE_BODY = [
    ("heading", "Les mots du parcours"),
    _accordion(
        [
            ("Personne concernée", "<p>La personne accompagnée dans un parcours SPIE.</p>"),
            (
                "Parcours SPIE",
                "<p>Le chemin suivi pour réaliser son projet personnel et professionnel, avec pour "
                "but premier un emploi durable. Il se compose d'étapes, suivies et évaluées avec la "
                "personne, et s'ajuste à sa situation : il n'est pas linéaire.</p>",
            ),
            (
                "Diagnostic",
                "<p>Le premier entretien, puis le point fait à chaque changement d'étape : il "
                "recense la situation, les besoins et les acquis de la personne.</p>",
            ),
            (
                "Référent d'étape",
                "<p>Le professionnel qui accompagne la personne pendant une étape de son parcours "
                "et signe avec elle son contrat d'engagement. Il remplace la notion de « référent "
                "unique ».</p>",
            ),
            (
                "Contrat d'engagement",
                "<p>Le document signé à l'entrée dans le SPIE (contrat d'engagement réciproque, "
                "projet personnalisé d'accès à l'emploi, contrat d'engagement jeune…) qui fixe les "
                "objectifs et les actions du parcours.</p>",
            ),
            (
                "Fiche relais",
                "<p>Le document qui permet de passer le relais d'un référent d'étape au suivant, "
                "avec l'accord de la personne, pour qu'elle n'ait pas à répéter son histoire. La "
                "coordination SPIE en reçoit une copie.</p>",
            ),
            (
                "Fiche unique de prescription",
                "<p>La demande par laquelle un professionnel oriente une personne vers un service "
                "d'une structure ; la structure y répond et chacun suit où en est la demande.</p>",
            ),
            (
                "Coordination SPIE",
                "<p>L'équipe du territoire qui veille à la continuité de chaque parcours, coordonne "
                "les orientations et l'offre de services.</p>",
            ),
            (
                "Commission SPIE",
                "<p>La réunion des partenaires où sont présentées les situations bloquées, pour "
                "trouver ensemble des solutions ou faire évoluer l'offre.</p>",
            ),
            (
                "Situation bloquée",
                "<p>Une situation où la personne et les professionnels ne trouvent plus de "
                "solution : freins multiples, actions sans résultat, offre absente sur le "
                "territoire. Elle est présentée à la commission SPIE quand tout a été tenté.</p>",
            ),
            (
                "Approche globale",
                "<p>Prendre en compte en même temps tous les aspects de la situation d'une "
                "personne, sociaux comme professionnels, pour lever ensemble ce qui l'empêche "
                "d'accéder à l'emploi.</p>",
            ),
        ]
    ),
]


def _publish(page):
    page.save_revision().publish()


def _tree_root():
    """Wagtail's root page and default locale (its migrations create them; an emptied database
    has neither)."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


@transaction.atomic
def create_editorial_pages():
    """Creates the home page (as the site root), the livret d'accueil and the lexique, once."""
    home = HomePage.objects.first()
    if home is None:
        root = _tree_root()
        home = HomePage(
            title="Portail de l'offre d'insertion",
            slug="accueil",
            introduction=HOME_INTRODUCTION,
            body=HOME_BODY,
        )
        root.add_child(instance=home)
        _publish(home)
        site = Site.objects.filter(is_default_site=True).first()
        previous_root = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save()
        if previous_root and not isinstance(previous_root.specific, HomePage):
            previous_root.delete()
    for slug, title, introduction, body in (
        ("livret-d-accueil", "Livret d'accueil", LIVRET_INTRODUCTION, LIVRET_BODY),
        ("lexique", "Lexique", LEXIQUE_INTRODUCTION, LEXIQUE_BODY),
    ):
        if not ContentPage.objects.filter(slug=slug).exists():
            page = ContentPage(title=title, slug=slug, introduction=introduction, body=body)
            home.add_child(instance=page)
            _publish(page)
    return home
