"""The site's addresses: the files at the root (sitemap, robots, public photos), then every page
under its language prefix. Order matters where two apps share a prefix: the applicant's pages
under /calls/ come before the public call pages."""

from pathlib import Path

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path, re_path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from django.views.static import serve

from api.views import api as json_api
from organisations.forms import ThrottledAdminAuthenticationForm
from public.cache import cache_public_page
from public.sitemaps import SITEMAPS, robots_txt
from public.views.data import data_file
from public.views.editions import programme_style

# Generic titles: the back office serves every programme of the site.
admin.site.site_header = format_lazy(_("{site} — back office"), site=_(settings.SITE_NAME))
admin.site.site_title = format_lazy(_("{site} back office"), site=_(settings.SITE_NAME))
admin.site.index_title = _("Secretariat")
admin.site.login_form = ThrottledAdminAuthenticationForm


def public_media(request, path):
    """A file of the media/public/ folder (MEDIA_ROOT read at each request, as the storage does)."""
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "public")


urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        "sitemap.xml",
        cache_public_page(sitemaps.index, personal=False),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_public_page(sitemaps.sitemap, params=("p",), personal=False),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    # Public photos (covers and their thumbnails) are served by the app itself. Only the
    # media/public/ folder is reachable; other files live under media/private/ and go
    # through views that check who is asking.
    re_path(r"^media/public/(?P<path>.*)$", public_media, name="public-media"),
    # The open-data files (360Giving, IATI), the same in every language; listed on /<lang>/data/.
    path("opendata/<str:name>", data_file, name="opendata-file"),
    # A programme's colours, the same in every language (its pages link it).
    path("programme-style/<slug:slug>.css", programme_style, name="programme-style"),
    # The read-only JSON API, its OpenAPI document and its documentation page.
    path("api/v1/", json_api.urls),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("secretariat/", include("secretariat.urls")),
    path("accounts/notifications/", include("notifications.urls")),
    path("accounts/", include("portal.urls.accounts")),
    path("portal/", include("portal.urls.portal")),
    path("calls/", include("portal.urls.calls")),
    path("review/", include("portal.urls.review")),
    path("", include("public.urls")),
    prefix_default_language=True,
)
