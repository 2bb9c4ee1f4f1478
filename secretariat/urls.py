"""The secretariat's screens (namespace "secretariat"), under /<lang>/secretariat/."""

from django.urls import path

from .views import (
    applications,
    dashboard,
    dossiers,
    exports,
    home,
    imports,
    personal_data,
    reports,
    workplans,
)

app_name = "secretariat"

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("exports/<int:pk>/", exports.export_download, name="export_download"),
    path("applications/ranking/", applications.ranking_page, name="ranking"),
    path("applications/screen/", applications.screen, name="screen"),
    path("applications/more-info/", applications.more_info, name="more_info"),
    path("applications/assign/", applications.assign, name="assign"),
    path("applications/decide/", applications.decide, name="decide"),
    path(
        "initiatives/<int:pk>/workplan/review/",
        workplans.workplan_review,
        name="workplan_review",
    ),
    path("initiatives/<int:pk>/dossier/", dossiers.dossier, name="dossier"),
    path("initiatives/dossiers/", dossiers.dossiers, name="dossiers"),
    path("dossiers/<str:token>/", dossiers.dossier_file, name="dossier_file"),
    path("reports/<int:pk>/review/", reports.report_review, name="report_review"),
    path("reports/<int:pk>/results/", reports.report_results, name="report_results"),
    path("import/", imports.import_page, name="import"),
    path("import/template.<str:fmt>", imports.import_template, name="import_template"),
    path(
        "personal-data/<str:kind>/<int:pk>/",
        personal_data.personal_data,
        name="personal_data",
    ),
]
