"""Chinese name search: the bigram prefilter returns exactly the rows of the substring match, and uses its index."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industria.accounts.models import District
from industria.core.bulk import insert_frame
from industria.enterprises.filtersets import EnterpriseFilterSet
from industria.enterprises.models import Enterprise
from industria.enterprises.name_search import BIGRAM_INDEX, ideograph_bigrams, name_zh_contains

from .factories import EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")

# Ideographs, Latin letters of both cases (icontains is case-insensitive), a digit, a space, LIKE's wildcards.
ALPHABET = "精密齿轮科技" + "Aa" + "7 %_"


def searched(term: str) -> set[str]:
    filterset = EnterpriseFilterSet({"q": term}, queryset=Enterprise.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name_zh", flat=True))


def test_ideograph_bigrams_are_the_runs_of_two_ideographs() -> None:
    assert ideograph_bigrams("精密") == ["精密"]
    assert ideograph_bigrams("精密齿轮精密") == ["精密", "密齿", "齿轮", "轮精"]
    assert ideograph_bigrams("A精密b") == ["精密"]  # pairs with a cased letter are left to the substring match
    assert ideograph_bigrams("精 密") == []
    assert ideograph_bigrams("精") == []


def test_two_character_chinese_search_finds_names_containing_the_term() -> None:
    EnterpriseFactory(name_zh="上海宝山精密齿轮有限公司")
    EnterpriseFactory(name_zh="上海精工密封件有限公司")  # both characters, not together
    EnterpriseFactory(name_zh="精密")
    EnterpriseFactory(name_zh="上海精")

    assert searched("精密") == {"上海宝山精密齿轮有限公司", "精密"}
    assert searched("精") == {"上海宝山精密齿轮有限公司", "上海精工密封件有限公司", "精密", "上海精"}
    assert searched("A精密") == set()


@st.composite
def names_and_terms(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """A few names, and terms that are mostly pieces of those names (so that many terms match)."""
    names = draw(st.lists(st.text(ALPHABET, max_size=8), min_size=1, max_size=10, unique=True))
    pieces = [n[i:j] for n in names for i in range(len(n)) for j in range(i + 1, len(n) + 1)]
    term = st.sampled_from(pieces) if pieces else st.nothing()
    terms = draw(st.lists(term | st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=8))
    return names, terms


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names_and_terms())
def test_chinese_search_returns_the_rows_of_the_substring_match(case: tuple[list[str], list[str]]) -> None:
    names, terms = case
    Enterprise.objects.all().delete()
    district = District.objects.get(code="310115")
    Enterprise.objects.bulk_create(
        Enterprise(uscc=valid_uscc(i), name_zh=name, district=district) for i, name in enumerate(names)
    )

    for term in (t.strip() for t in terms):
        if term.isascii():
            continue  # ASCII terms take the credit-code and English-name branch, which this change leaves alone
        before = set(Enterprise.objects.filter(name_zh__icontains=term).values_list("name_zh", flat=True))
        expected = {n for n in names if term.upper() in n.upper()}

        assert searched(term) == before == expected, term


def test_rows_written_in_bulk_or_updated_are_found_by_their_current_name() -> None:
    now = timezone.now()
    district_id = District.objects.get(code="310115").pk
    insert_frame(
        Enterprise._meta.db_table,
        pl.DataFrame(
            {
                "uscc": [valid_uscc(1), valid_uscc(2)],
                "name_zh": ["上海精密仪器有限公司", "上海芯片有限公司"],
                "name_en": ["", ""],
                "district_id": [district_id, district_id],
                "industry_code": ["", ""],
                "ownership_type": ["private", "private"],
                "is_listed": [False, False],
                "is_headquarters": [False, False],
                "synthetic": [False, False],
                "created_at": [now, now],
                "updated_at": [now, now],
            }
        ),
    )
    saved = EnterpriseFactory(name_zh="上海齿轮有限公司")

    found_in_bulk = searched("精密")
    Enterprise.objects.filter(uscc=valid_uscc(1)).update(name_zh="上海仪器有限公司")
    saved.name_zh = "上海精密齿轮有限公司"
    saved.save()

    assert found_in_bulk == {"上海精密仪器有限公司"}
    assert searched("精密") == {"上海精密齿轮有限公司"}
    assert searched("仪器") == {"上海仪器有限公司"}


@postgresql_only
def test_two_character_chinese_search_uses_the_bigram_index_on_postgresql() -> None:
    district = District.objects.get(code="310115")
    Enterprise.objects.bulk_create(
        Enterprise(uscc=valid_uscc(i), name_zh=f"上海测试{i}制造有限公司", district=district) for i in range(500)
    )
    EnterpriseFactory(name_zh="上海宝山精密齿轮有限公司")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few hundred rows would fit in one page scan

    plan = name_zh_contains(Enterprise.objects.order_by(), "精密").explain()

    assert BIGRAM_INDEX in plan


@postgresql_only
def test_only_two_ideograph_terms_get_the_bigram_condition() -> None:
    def sql(term: str) -> str:
        return str(name_zh_contains(Enterprise.objects.all(), term).query)

    assert "enterprises_bigrams" in sql("精密")
    assert "enterprises_bigrams" not in sql("精密机械")  # the trigram index answers three characters and more
    assert "enterprises_bigrams" not in sql("A精")
    assert "enterprises_bigrams" not in sql("精")


@postgresql_only
def test_a_bigram_common_to_most_names_gets_no_bigram_condition() -> None:
    district = District.objects.get(code="310115")
    Enterprise.objects.bulk_create(
        Enterprise(uscc=valid_uscc(i), name_zh=f"上海测试{i}制造有限公司", district=district) for i in range(300)
    )
    EnterpriseFactory(name_zh="上海宝山精密齿轮有限公司")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")

    common = str(name_zh_contains(Enterprise.objects.all(), "上海").query)
    rare = str(name_zh_contains(Enterprise.objects.all(), "齿轮").query)

    assert "enterprises_bigrams" not in common
    assert "enterprises_bigrams" in rare
    assert searched("上海") == set(Enterprise.objects.values_list("name_zh", flat=True))
