"""Search of the public site: full-text, in the visitor's language, over the stored vectors of
``public.models.InitiativeSearch`` (GIN-indexed, kept by the database).

The vector of the active language weighs its own texts, stemmed with its configuration, and
matches every other language's texts word for word ('simple'), so an initiative not yet
translated is still found. The query is the visitor's words, stemmed, or as typed. SQLite (the
quick start) has no vectors: it matches substrings.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from core.translation import active_language
from grants.models import Initiative
from grants.selectors.disclosure import named
from grants.selectors.public import public_initiatives

# PostgreSQL text-search configurations for the site's languages (as in the index's migration).
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ru": "russian",
}
SEARCHED_FIELDS = ("title", "summary", "description", "expected_results")


def search_initiatives(query: str) -> QuerySet[Initiative]:
    """Published initiatives matching ``query``, best first; never a grant whose recipient is
    hidden (its texts are not public: the index holds no vectors for it either)."""
    query = query.strip()
    base = named(public_initiatives())
    if not query:
        return base.none()
    language = active_language()
    if connection.vendor != "postgresql":
        condition = Q()
        for field in SEARCHED_FIELDS:
            for code in SEARCH_CONFIGS:
                condition |= Q(**{f"{field}_{code}__icontains": query})
        return base.filter(condition)
    stemmed = SearchQuery(query, config=SEARCH_CONFIGS[language], search_type="websearch")
    plain = SearchQuery(query, config="simple", search_type="websearch")
    wanted = stemmed | plain
    vector = F(f"search__vector_{language}")
    return (
        base.filter(**{f"search__vector_{language}": wanted})
        .annotate(rank=SearchRank(vector, wanted))
        .order_by("-rank", "pk")
    )
