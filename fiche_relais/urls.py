from django.urls import path

from fiche_relais import views

app_name = "fiche_relais"

urlpatterns = [
    path("parcours/", views.file_active, name="file_active"),
    path("parcours/personnes/nouvelle/", views.personne_nouvelle, name="personne_nouvelle"),
    path("parcours/personnes/<int:pk>/", views.personne, name="personne"),
    path("parcours/personnes/<int:pk>/consentement/", views.consentement, name="consentement"),
    path(
        "parcours/personnes/<int:pk>/consentements/<int:consentement_pk>/revoquer/",
        views.revoquer_consentement,
        name="revoquer_consentement",
    ),
    path(
        "parcours/personnes/<int:pk>/consentements/<int:consentement_pk>/document/",
        views.consentement_document,
        name="consentement_document",
    ),
    path(
        "parcours/personnes/<int:pk>/fiches/nouvelle/", views.fiche_nouvelle, name="fiche_nouvelle"
    ),
    path("parcours/personnes/<int:pk>/situations/", views.signaler, name="signaler"),
    path("parcours/situations/<int:pk>/", views.situation, name="situation"),
    path("parcours/coordination/", views.coordination, name="coordination"),
    path("parcours/commissions/<int:pk>/", views.commission, name="commission"),
    path(
        "parcours/commissions/<int:pk>/ordre-du-jour.pdf",
        views.commission_pdf,
        name="commission_pdf",
    ),
    path(
        "parcours/coordination/donnees-personne/", views.donnees_personne, name="donnees_personne"
    ),
    path("parcours/tableau-de-bord/", views.tableau_de_bord, name="tableau_de_bord"),
    path("parcours/fiches/<int:pk>/", views.fiche, name="fiche"),
    path("parcours/fiches/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("parcours/fiches/<int:pk>/fiche.pdf", views.fiche_pdf, name="fiche_pdf"),
    path("parcours/personnes/<int:pk>/consultations.pdf", views.lectures_pdf, name="lectures_pdf"),
    path("parcours/fiches/<int:pk>/envoyer/", views.envoyer, name="envoyer"),
    path("parcours/fiches/<int:pk>/relais/", views.prendre_le_relais, name="prendre_le_relais"),
    path("parcours/fiches/<int:pk>/assigner/", views.assigner, name="assigner"),
    path("parcours/personnes/<int:pk>/contact/", views.contact, name="contact"),
    path(
        "parcours/personnes/<int:pk>/structures/",
        views.structures_suggestions,
        name="structures",
    ),
]
