from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("structures/<int:pk>/", views.structure_detail, name="structure"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
