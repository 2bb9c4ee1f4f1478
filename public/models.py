"""The public site's search index: each initiative's texts as stored full-text vectors.

One ``tsvector`` per site language, kept by PostgreSQL itself: a trigger on the initiatives'
table (``public/migrations/0001_search_index.py``) rewrites an initiative's row here whenever
its searched texts are written, whatever wrote them (a form, the back office, an update of many
rows), and a GIN index on each vector finds the matches without reading the texts. The vector of
language L weighs L's title (A) and its other texts (B), stemmed with L's text-search
configuration, and adds every other language's texts word for word (``simple``, D), so an
initiative not yet translated is still found (``public.search``). On SQLite (the quick start)
nothing fills this table: search matches substrings instead.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models import Initiative


class InitiativeSearch(models.Model):
    initiative = models.OneToOneField(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search",
    )
    vector_en = SearchVectorField(_("English search vector"), null=True)
    vector_fr = SearchVectorField(_("French search vector"), null=True)
    vector_es = SearchVectorField(_("Spanish search vector"), null=True)
    vector_pt = SearchVectorField(_("Portuguese search vector"), null=True)
    vector_ru = SearchVectorField(_("Russian search vector"), null=True)

    class Meta:
        ordering = ["initiative"]
        verbose_name = _("initiative search vectors")
        verbose_name_plural = _("initiative search vectors")

    def __str__(self) -> str:
        return str(self.initiative_id)
