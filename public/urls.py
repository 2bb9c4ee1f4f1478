"""Addresses of the public site, under the language prefix (namespace "public")."""

from django.urls import path

from .views import calls, data, editions, funding, initiatives, organisations

app_name = "public"

urlpatterns = [
    path("", editions.home, name="home"),
    path("editions/", editions.edition_list, name="editions"),
    path("editions/<slug:slug>/", editions.edition_detail, name="edition"),
    path("editions/<slug:slug>/actions-map.svg", editions.actions_map, name="actions_map"),
    path(
        "editions/<slug:edition>/initiatives/<slug:slug>/",
        initiatives.initiative_detail,
        name="initiative",
    ),
    path("initiatives/", initiatives.initiative_list, name="initiatives"),
    path("countries/<str:code>/", initiatives.country_detail, name="country"),
    path("themes/<slug:slug>/", initiatives.theme_detail, name="theme"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    path("search/", initiatives.search, name="search"),
    path("calls/", calls.call_index, name="calls"),
    path("calls/<slug:slug>/", calls.call_detail, name="call"),
    path("data/", data.data_page, name="data"),
    path("funding/", funding.funding_explorer, name="funding"),
]
