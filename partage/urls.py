from django.urls import path

from partage import views

app_name = "partage"

urlpatterns = [
    path("services/<int:pk>/partager/", views.partager, name="partager"),
    path("selection/", views.page, name="selection"),
    path("selection/ajouter/", views.ajouter, name="ajouter"),
    path("selection/retirer/", views.retirer, name="retirer"),
    path("selection/imprimer/", views.imprimer, name="imprimer"),
    path("selection/envoyer/", views.envoyer, name="envoyer"),
]
