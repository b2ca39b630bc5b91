from django.urls import path

from catalogue import api, views

app_name = "catalogue"

urlpatterns = [
    path("structures/<int:pk>/", views.structure_detail, name="structure"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("modeles-de-service/", views.modeles_territoire, name="modeles_territoire"),
    path("api/v1/structures", api.structures, name="api_structures"),
    path("api/v1/services", api.services, name="api_services"),
]
