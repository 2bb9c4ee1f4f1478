"""Calls for applications: the public call page, registering, applying (namespace "calls")."""

from django.urls import path

from . import calls_views as views

app_name = "calls"

urlpatterns = [
    path("", views.call_index, name="index"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/eligibility/", views.eligibility, name="eligibility"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/documents/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/documents/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
]
