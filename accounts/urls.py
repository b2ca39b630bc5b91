from django.contrib.auth import views as auth_views
from django.urls import path

from mozilla_django_oidc.views import OIDCLogoutView

from accounts import proconnect, views
from accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path("", views.espace, name="espace"),
    path("rejoindre/<int:structure_pk>/", views.rejoindre, name="rejoindre"),
    path("adresse/", views.changer_adresse, name="adresse"),
    path("adresse/confirmer/<str:token>/", views.confirmer_adresse, name="adresse_confirmer"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            extra_context={"proconnect": proconnect.is_configured},
        ),
        name="login",
    ),
    path("proconnect/", proconnect.ProConnectLoginView.as_view(), name="proconnect"),
    path(
        "proconnect/retour/",
        proconnect.ProConnectCallbackView.as_view(),
        name="proconnect_callback",
    ),
    # Ends ProConnect's session too when the person came through it.
    path("deconnexion/", OIDCLogoutView.as_view(), name="logout"),
]
