from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [path("comptes/notifications/", views.mes_notifications, name="mes_notifications")]
