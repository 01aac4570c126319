"""The registry facts read: the split read over several connections equals the single one (PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from industria.enterprises.models import EnterpriseYearFact
from industria.evaluations import facts, rulesets
from industria.evaluations.tests.helpers import YEAR, active, land_registry_from_template

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the split read shares a PostgreSQL snapshot"
)


def land_read(population: facts.Population) -> Any:
    engine, rules = rulesets.parse(active("land-efficiency-zj").parameters)
    return facts.read_registry_facts(rules, engine.facts_schema, population)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_split_read_equals_the_single_read(monkeypatch: pytest.MonkeyPatch) -> None:
    land_registry_from_template()
    population = facts.Population(year=YEAR)
    split_calls = []
    split = facts._copy_out_parallel
    monkeypatch.setattr(facts, "_copy_out_parallel", lambda *a: split_calls.append(1) or split(*a))
    with transaction.atomic():  # nothing written yet: the split read applies
        parallel = land_read(population)
    assert split_calls == [1]
    monkeypatch.setattr(facts, "READ_CONNECTIONS", 1)
    with transaction.atomic():
        single = land_read(population)
    assert parallel.height == EnterpriseYearFact.objects.filter(year=YEAR).count() > 1
    assert parallel.equals(single)
    assert parallel["enterprise_id"].is_sorted()


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_that_wrote_reads_its_own_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    land_registry_from_template()
    with transaction.atomic():
        EnterpriseYearFact.objects.filter(year=YEAR).update(land_area_mu=7)  # uncommitted: others cannot see it
        assert facts._shareable_snapshot() is None
        frame = land_read(facts.Population(year=YEAR))
    assert frame["land_area_mu"].cast(float).to_list() == [7.0] * frame.height


def test_single_read_outside_a_fresh_transaction() -> None:
    land_registry_from_template()
    frame = land_read(facts.Population(year=YEAR))  # inside the test's transaction, after its writes
    assert frame.height == EnterpriseYearFact.objects.filter(year=YEAR).count()
    if connection.vendor == "postgresql":
        assert facts._shareable_snapshot() is None
