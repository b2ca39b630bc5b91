from django.urls import path

from actualisation import views

app_name = "actualisation"

urlpatterns = [
    path("actualisation/confirmer/<str:token>/", views.confirmer, name="confirmer"),
    path("actualisation/coordination/", views.coordination, name="coordination"),
    path("actualisation/taches/<int:pk>/cloturer/", views.cloturer_tache, name="cloturer_tache"),
    path("services/<int:pk>/signaler/", views.signaler, name="signaler"),
    path("actualisation/campagnes/nouvelle/", views.nouvelle_campagne, name="nouvelle_campagne"),
    path("actualisation/campagnes/<int:pk>/", views.campagne, name="campagne"),
    path("actualisation/campagnes/<int:pk>/relancer/", views.relancer, name="relancer"),
]
