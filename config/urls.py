from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import password_reset
from config import openapi, pages
from ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Wagtail's password reset, limited, and proving the address (before Wagtail's own routes).
    path(
        "admin/password_reset/",
        password_reset.LimitedPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path(
        "admin/password_reset/confirm/<uidb64>/<token>/",
        password_reset.VerifyingPasswordResetConfirmView.as_view(),
        name="wagtailadmin_password_reset_confirm",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("notifications.urls")),
    path("comptes/", include("accounts.urls")),
    path("territoires/", include("territoires.urls")),
    path("api/v1/openapi.json", openapi.openapi_json, name="openapi"),
    path("api/v1/docs/", openapi.openapi_page, name="api_docs"),
    path("donnees-personnelles/", pages.donnees_personnelles, name="donnees_personnelles"),
    path("accessibilite/", pages.accessibilite, name="accessibilite"),
    path("", include("search.urls")),
    path("", include("prescription.urls")),
    path("", include("fiche_relais.urls")),
    path("", include("actualisation.urls")),
    path("", include("saved_searches.urls")),
    path("", include("partage.urls")),
    path("", include("catalogue.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's editorial pages (home, livret d'accueil, lexique) come last: they catch the rest.
urlpatterns.append(path("", include(wagtail_urls)))
