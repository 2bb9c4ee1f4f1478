"""The sitemaps of the public site: every published page, in each language with alternates.

``/sitemap.xml`` is an index of one sitemap per section (``/sitemap-<section>.xml``), each cut
into files of at most ``URLS_PER_FILE`` addresses (``?p=2``…), below the protocol's 50,000:
a section is counted and each file read a slice at a time in the database, so neither the
index nor a file grows with the whole site. Both are cached like every public page.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from grants.models import Initiative
from grants.selectors.disclosure import named
from grants.selectors.public import countries_in_use
from organisations.models import Organisation
from programme.models import Edition, Programme, Theme

# Addresses per sitemap file: each item counts once per language.
URLS_PER_FILE = 10_000


class LanguagePairs:
    """The (item, language) pairs Django's i18n sitemap lists, counted and sliced from the
    items themselves (a queryset stays in the database) instead of built in full."""

    def __init__(self, items, languages: list[str]):
        self.items, self.languages = items, languages

    def count(self) -> int:
        total = len(self.items) if isinstance(self.items, list) else self.items.count()
        return total * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        per = len(self.languages)
        first, last = index.start // per, -(-index.stop // per)
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        return pairs[index.start - first * per : index.stop - first * per]


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_FILE

    @property
    def paginator(self):
        return Paginator(LanguagePairs(self.items(), self._languages()), self.limit)


class StaticPages(I18nSitemap):
    priority = 0.8

    def items(self):
        return ["public:home", "public:editions", "public:initiatives"]

    def location(self, item):
        return reverse(item)


class Programmes(I18nSitemap):
    priority = 0.9

    def items(self):
        return (
            Programme.objects.filter(editions__is_published=True)
            .only("slug")
            .distinct()
            .order_by("slug")
        )


class Editions(I18nSitemap):
    priority = 0.9

    def items(self):
        return Edition.objects.published().select_related("programme").order_by("-year", "pk")

    def lastmod(self, edition):
        return edition.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class Initiatives(I18nSitemap):
    def items(self):
        # A hidden grant has no page (``grants.selectors.disclosure``).
        return (
            named(Initiative.objects.published())
            .select_related("edition__programme")
            .only("slug", "updated_at", "edition__slug", "edition__programme__slug")
            .order_by("pk")
        )

    def lastmod(self, initiative):
        return initiative.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class Organisations(I18nSitemap):
    def items(self):
        return (
            Organisation.objects.filter(
                is_at_risk=False,
                initiatives__is_published=True,
                initiatives__edition__is_published=True,
                initiatives__is_at_risk=False,
            )
            .only("slug")
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
    "programmes": Programmes,
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
