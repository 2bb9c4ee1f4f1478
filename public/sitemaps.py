"""sitemap.xml of the public site: every published page, in each language with alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from grants.models import Initiative
from grants.selectors.public import countries_in_use
from organisations.models import Organisation
from programme.models import Edition, Theme


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticPages(I18nSitemap):
    priority = 0.8

    def items(self):
        return ["public:home", "public:editions", "public:initiatives"]

    def location(self, item):
        return reverse(item)


class Editions(I18nSitemap):
    priority = 0.9

    def items(self):
        return Edition.objects.published().order_by("-year")

    def lastmod(self, edition):
        return edition.updated_at


class Initiatives(I18nSitemap):
    def items(self):
        return Initiative.objects.published().select_related("edition").order_by("pk")

    def lastmod(self, initiative):
        return initiative.updated_at


class Organisations(I18nSitemap):
    def items(self):
        return (
            Organisation.objects.filter(
                initiatives__is_published=True, initiatives__edition__is_published=True
            )
            .distinct()
            .order_by("slug")
        )


class Countries(I18nSitemap):
    def items(self):
        return [code.lower() for code in countries_in_use()]

    def location(self, code):
        return reverse("public:country", kwargs={"code": code})


class Themes(I18nSitemap):
    def items(self):
        return (
            Theme.objects.filter(
                initiatives__is_published=True, initiatives__edition__is_published=True
            )
            .distinct()
            .order_by("slug")
        )

    def location(self, theme):
        return reverse("public:theme", kwargs={"slug": theme.slug})


SITEMAPS = {
    "pages": StaticPages,
    "editions": Editions,
    "initiatives": Initiatives,
    "organisations": Organisations,
    "countries": Countries,
    "themes": Themes,
}


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{code}/admin/" for code, _name in settings.LANGUAGES]
    lines += ["Disallow: /*/search/", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
