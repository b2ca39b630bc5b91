from django.urls import path

from prescription import views

app_name = "prescription"

urlpatterns = [
    path("services/<int:service_pk>/orienter/", views.nouvelle, name="nouvelle"),
    path("prescriptions/", views.mes_prescriptions, name="mes_prescriptions"),
    path("prescriptions/recues/", views.recues, name="recues"),
    path("prescriptions/coordination/", views.coordination, name="coordination"),
    path("prescriptions/<int:pk>/", views.detail, name="detail"),
    path("prescriptions/<int:pk>/actions/<str:name>/", views.action, name="action"),
    path("prescriptions/<int:pk>/recapitulatif.pdf", views.recapitulatif, name="recapitulatif"),
    path("prescriptions/<int:pk>/pieces/<int:piece_pk>/", views.piece_jointe, name="piece_jointe"),
    path("prescriptions/reponse/<str:token>/", views.lien, name="lien"),
    path(
        "prescriptions/reponse/<str:token>/pieces/<int:piece_pk>/",
        views.piece_jointe_par_lien,
        name="piece_jointe_par_lien",
    ),
]
