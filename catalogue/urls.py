from django.urls import path

from catalogue import api, views

app_name = "catalogue"

urlpatterns = [
    path("structures/<int:pk>/", views.structure_detail, name="structure"),
    path("structures/nouvelle/", views.nouvelle_structure, name="nouvelle_structure"),
    path("moderation/", views.moderation_page, name="moderation"),
    path("moderation/demandes/<int:pk>/", views.moderer_demande, name="moderer_demande"),
    path("moderation/services/<int:pk>/", views.relire_service, name="relire_service"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("modeles-de-service/", views.modeles_territoire, name="modeles_territoire"),
    path("api/v1/structures", api.structures, name="api_structures"),
    path("api/v1/services", api.services, name="api_services"),
]
