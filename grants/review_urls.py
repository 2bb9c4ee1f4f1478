"""The review panel's pages: assignments, conflicts of interest, scores (namespace "review")."""

from django.urls import path

from . import review_views as views

app_name = "review"

urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("<int:pk>/", views.assignment_detail, name="assignment"),
    path("<int:pk>/conflict/", views.conflict, name="conflict"),
    path("<int:pk>/documents/<int:attachment_pk>/", views.attachment, name="attachment"),
]
