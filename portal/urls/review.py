"""The review panel's pages (namespace "review"), under /<lang>/review/."""

from django.urls import path

from ..views import review

app_name = "review"

urlpatterns = [
    path("", review.assignment_list, name="list"),
    path("<int:pk>/", review.assignment_detail, name="assignment"),
    path("<int:pk>/conflict/", review.conflict, name="conflict"),
    path("<int:pk>/documents/<int:attachment_pk>/", review.attachment, name="attachment"),
]
