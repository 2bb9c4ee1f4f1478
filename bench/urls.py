"""The site's URLs plus a trivial view: the whole middleware stack, one tiny template, no
database (the other floor next to /robots.txt)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site

TEMPLATE = engines["django"].from_string("<!doctype html><title>{{ title }}</title><p>ok</p>")


def trivial(request):
    return HttpResponse(TEMPLATE.render({"title": "trivial"}, request))


urlpatterns = [path("bench/trivial/", trivial), *site]
