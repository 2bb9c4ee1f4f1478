"""The applicant's pages (namespace "calls"), under /<lang>/calls/: registering an organisation,
applying, and the applications. The calls' public pages are the public site's."""

from django.urls import path

from ..views import applications, light, registration

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
    # The light track (small grants): the one-page form, then the applicant's emailed link.
    path("<slug:slug>/apply-small/", light.apply, name="light_apply"),
    path("small/<str:token>/", light.application_page, name="light_application"),
    path("small/<str:token>/confirm/", light.confirm, name="light_confirm"),
    path("small/<str:token>/agreement/", light.accept_agreement, name="light_agreement"),
    path("small/<str:token>/bank-details/", light.payee, name="light_payee"),
    path("small/<str:token>/report/", light.report, name="light_report"),
]
