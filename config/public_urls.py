"""Addresses of the public site, under the language prefix (namespace "public")."""

from django.urls import path

from grants import views as grants_views
from organisations import views as organisations_views
from programme import views as programme_views

app_name = "public"

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("editions/", programme_views.edition_list, name="editions"),
    path("editions/<slug:slug>/", programme_views.edition_detail, name="edition"),
    path(
        "editions/<slug:edition>/initiatives/<slug:slug>/",
        grants_views.initiative_detail,
        name="initiative",
    ),
    path("initiatives/", grants_views.initiative_list, name="initiatives"),
    path("countries/<str:code>/", grants_views.country_detail, name="country"),
    path("themes/<slug:slug>/", grants_views.theme_detail, name="theme"),
    path(
        "organisations/<slug:slug>/", organisations_views.organisation_detail, name="organisation"
    ),
    path("search/", grants_views.search, name="search"),
]
