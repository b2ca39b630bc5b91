from django.urls import path

from territoires import views

app_name = "territoires"

urlpatterns = [
    path("communes/", views.communes_autocomplete, name="communes"),
    path("zones/", views.zones_autocomplete, name="zones"),
]
