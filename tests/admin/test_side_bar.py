"""The side bar's list of apps and models (``core.admin_site``, ``core.templatetags.backoffice``)
is Django's, for each person's rights, in each language (issue 14: made once, not per page)."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from core.admin_site import BackOfficeSite
from grants.models import Review
from organisations.models import Organisation

from .dataset import admin_url

pytestmark = pytest.mark.django_db

OURS = Template("{% load backoffice %}{% sidebar_app_list apps %}")
DJANGOS = Template("{% include 'admin/app_list.html' with app_list=apps show_changelinks=False %}")


def plain(app_list):
    """The app list with its lazy names read, to compare."""
    return [
        {
            **app,
            "name": str(app["name"]),
            "models": [{**model, "name": str(model["name"])} for model in app["models"]],
        }
        for app in app_list
    ]


def request_for(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
@pytest.mark.parametrize("who", ["secretary", "reviewer"])
def test_app_list_and_side_bar_are_djangos(request, dataset, language, who):
    user = request.getfixturevalue(who)
    assert isinstance(admin.site, BackOfficeSite)
    with translation.override(language):
        for model in (Organisation, Review):
            path = admin_url(model, "changelist")
            http = request_for(user, path)
            ours = admin.site.get_app_list(http)
            djangos = sorted(
                AdminSite._build_app_dict(admin.site, http).values(),
                key=lambda app: str(app["name"]).lower(),
            )
            for app in djangos:
                app["models"].sort(key=lambda m: str(m["name"]))
            assert plain(ours) == plain(djangos)
            assert ours, who
            for _ in range(2):  # made, then kept
                context = RequestContext(http, {"apps": ours})
                assert OURS.render(context) == DJANGOS.render(RequestContext(http, {"apps": ours}))
            listed = any(m["admin_url"] == path for app in ours for m in app["models"])
            assert listed or (who, model) == ("reviewer", Organisation)
            html = OURS.render(RequestContext(http, {"apps": ours}))
            assert ("current-model" in html) == listed


def test_each_person_sees_their_own_side_bar(client, secretary, reviewer, dataset):
    organisations = admin_url(Organisation, "changelist")
    client.force_login(secretary)
    page = client.get(admin_url(Review, "changelist")).content.decode()
    assert f'href="{organisations}"' in page
    client.force_login(reviewer)
    response = client.get(admin_url(Review, "changelist"))
    assert response.status_code == 200
    assert f'href="{organisations}"' not in response.content.decode()
    assert admin.site.has_permission(response.wsgi_request)
