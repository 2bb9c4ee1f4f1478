"""The grantee portal (namespace "portal"), under /<lang>/portal/.

Every pattern that takes an id must have a case in the access matrix
(tests/portal/test_access_matrix.py): a member of another organisation gets a 404.
"""

from django.urls import path

from ..views import agreement, attachments, home, organisation, payments, report, workplan

app_name = "portal"

urlpatterns = [
    path("", home.portal_home, name="home"),
    # The organisation's profile and people.
    path("organisations/<int:pk>/", organisation.organisation_profile, name="organisation"),
    path("organisations/<int:pk>/members/", organisation.organisation_members, name="members"),
    path(
        "organisations/<int:pk>/members/<int:membership>/remove/",
        organisation.membership_remove,
        name="member_remove",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership>/role/",
        organisation.membership_role,
        name="member_role",
    ),
    # Where the organisation is paid, and what a payment brought.
    path("organisations/<int:pk>/bank-details/", payments.payee_details, name="payee"),
    path("payments/<int:pk>/received/", payments.payment_received, name="payment_received"),
    # The workplan of an initiative.
    path("initiatives/<int:pk>/workplan/", workplan.workplan, name="workplan"),
    path(
        "initiatives/<int:pk>/workplan/edit/<slug:section>/",
        workplan.workplan_section,
        name="workplan_section",
    ),
    path("initiatives/<int:pk>/workplan/submit/", workplan.workplan_submit, name="workplan_submit"),
    # The grant agreement: read by members, signed by the organisation's signatories.
    path("initiatives/<int:pk>/agreement/", agreement.agreement, name="agreement"),
    path("agreements/<int:pk>/pdf/", agreement.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/sign/", agreement.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/scan/", agreement.agreement_scan, name="agreement_scan"),
    # Progress reports.
    path("reports/<int:pk>/", report.report_detail, name="report"),
    path("reports/<int:pk>/pdf/", report.report_pdf_download, name="report_pdf"),
    path("reports/<int:pk>/edit/", report.report_edit, name="report_edit"),
    path("reports/<int:pk>/versions/", report.report_versions, name="report_versions"),
    path("reports/<int:pk>/files/", attachments.report_attachments, name="report_attachments"),
    path("files/<int:pk>/", attachments.attachment_download, name="attachment"),
    path("files/<int:pk>/delete/", attachments.attachment_delete, name="attachment_delete"),
]
