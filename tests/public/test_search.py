"""Search over the stored, indexed vectors (``public.search``): what it found when the vectors
were computed for each query it still finds, in every language, and the vectors follow every
way an initiative's texts are written."""

import pytest
from django.db import connection

from grants.models import Initiative
from public.models import InitiativeSearch
from public.search import SEARCH_CONFIGS, search_initiatives
from tests.factories import EditionFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiatives():
    edition = EditionFactory()
    return {
        "fr": InitiativeFactory(
            edition=edition,
            original_language="fr",
            title_en="",
            title_fr="Réduction des risques en prison",
            description_en="",
            description_fr="Des pairs éducateurs forment les détenus à la réduction des risques.",
        ),
        "es": InitiativeFactory(
            edition=edition,
            original_language="es",
            title_en="",
            title_es="Reducción de daños en la calle",
            description_en="",
            description_es="Equipos de calle abren espacios seguros para mujeres.",
        ),
        "ru": InitiativeFactory(
            edition=edition,
            original_language="ru",
            title_en="Harm reduction for young people",
            title_ru="Снижение вреда для молодёжи",
            description_en="Peer educators organise workshops.",
            description_ru="Равные консультанты проводят семинары о снижении вреда.",
        ),
        "hidden": InitiativeFactory(
            edition=edition, title_en="Harm reduction draft", is_published=False
        ),
    }


def found(language: str, query: str) -> list[str]:
    from django.utils import translation

    with translation.override(language):
        return [initiative.title for initiative in search_initiatives(query)]


def test_each_language_finds_its_own_texts_by_their_stems(initiatives):
    assert found("fr", "réduction risque") == ["Réduction des risques en prison"]
    assert found("es", "reducción daño") == ["Reducción de daños en la calle"]
    assert found("ru", "снижении вреда") == ["Снижение вреда для молодёжи"]
    assert found("en", "harm reductions") == ["Harm reduction for young people"]


def test_texts_not_translated_are_found_word_for_word_from_any_language(initiatives):
    # The French initiative has no English text: an English reader typing its words finds it.
    assert found("en", "prison") == ["Réduction des risques en prison"]
    assert found("pt", "calle") == ["Reducción de daños en la calle"]
    assert found("en", "nothing-like-this") == []
    assert found("en", "") == []


def test_unpublished_initiatives_are_not_found(initiatives):
    assert "Harm reduction draft" not in found("en", "harm")


def test_the_vectors_follow_every_write(initiatives):
    initiative = initiatives["es"]
    initiative.title_es = "Naloxona para todas"
    initiative.save()
    assert found("es", "naloxona") == ["Naloxona para todas"]
    # An update of many rows at once, which sends no signal, updates them too.
    Initiative.objects.filter(pk=initiative.pk).update(title_es="Jeringas limpias")
    assert found("es", "jeringas") == ["Jeringas limpias"]
    assert found("es", "naloxona") == []
    assert InitiativeSearch.objects.count() == Initiative.objects.count()


def test_each_language_has_a_gin_index_the_matches_can_use(initiatives):
    from django.contrib.postgres.search import SearchQuery

    for language, config in SEARCH_CONFIGS.items():
        wanted = SearchQuery("harm", config=config)
        matches = InitiativeSearch.objects.filter(**{f"vector_{language}": wanted}).order_by()
        sql, params = matches.query.sql_with_params()
        with connection.cursor() as cursor:
            # A handful of rows makes a sequential scan cheapest; forbid it to see the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert f"public_initiativesearch_{language}_gin" in plan, plan
