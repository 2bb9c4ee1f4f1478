"""The applicant's pages (namespace "calls"), under /<lang>/calls/: registering an organisation,
applying, and the applications. The calls' public pages are the public site's."""

from django.urls import path

from ..views import applications, registration

app_name = "calls"

urlpatterns = [
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path(
        "applications/<int:pk>/pdf/", applications.application_pdf_download, name="application_pdf"
    ),
    path("applications/<int:pk>/edit/", applications.application_edit, name="edit"),
    path("applications/<int:pk>/eligibility/", applications.eligibility, name="eligibility"),
    path("applications/<int:pk>/withdraw/", applications.withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/documents/<int:attachment_pk>/",
        applications.attachment_download,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/documents/<int:attachment_pk>/delete/",
        applications.attachment_delete,
        name="attachment_delete",
    ),
    path("confirm/<str:uidb64>/<str:token>/", registration.confirm, name="confirm"),
    path("<slug:slug>/register/", registration.register, name="register"),
    path("<slug:slug>/apply/", applications.apply, name="apply"),
]
