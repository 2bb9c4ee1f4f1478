"""A person's notifications (namespace "notifications"), under /<lang>/accounts/notifications/."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
]
