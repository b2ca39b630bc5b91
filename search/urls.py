from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("recherche/", views.search_page, name="page"),
    path("api/v1/search/services", views.api_search, name="api"),
]
