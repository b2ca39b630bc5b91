from django.urls import path

from saved_searches import views

app_name = "saved_searches"

urlpatterns = [
    path("comptes/recherches/", views.mes_recherches, name="list"),
    path("comptes/recherches/enregistrer/", views.save, name="save"),
    path("comptes/recherches/<int:pk>/alerte/", views.change_frequency, name="frequency"),
    path("comptes/recherches/<int:pk>/supprimer/", views.delete, name="delete"),
    path("alertes/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
