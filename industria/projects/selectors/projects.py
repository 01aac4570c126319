"""Reads of projects: scoped lists, the board by stage, one project, the next project code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from industria.projects.choices import ORDERED_STAGES, ProjectStage
from industria.projects.models import KeyProject

LIST_RELATED = ("district", "industry_group", "investor", "responsible_unit")
BOARD_STAGES: tuple[str, ...] = (*ORDERED_STAGES, ProjectStage.STALLED.value)


def key_project_list(*, user: Any, action: str = "view") -> QuerySet[KeyProject]:
    """Projects the user may ``action``, with what lists show."""
    return scoped_order(KeyProject.objects.for_user(user, action).select_related(*LIST_RELATED), user)


def scoped_order(queryset: QuerySet[KeyProject], user: Any) -> QuerySet[KeyProject]:
    """Newest code first.  For a district user the same order is written (district, code) so PostgreSQL walks
    the (district, code) index instead of the code index filtered by district (3-7× faster on deep pages)."""
    if getattr(user, "scope", "city") == "district" and not getattr(user, "is_superuser", False):
        return queryset.order_by("-district_id", "-code")
    return queryset.order_by("-code")


def key_project_get(*, user: Any, pk: int, action: str = "view") -> KeyProject:
    """One project in the user's scope (``DoesNotExist`` outside: the views answer 404)."""
    return key_project_list(user=user, action=action).select_related("template", "officer").get(pk=pk)


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int
    cards: list[KeyProject]

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


def board_columns(*, queryset: QuerySet[KeyProject], per_column: int = 12) -> list[BoardColumn]:
    """The projects by stage: a count per stage (one query) and the newest cards of each stage (one query
    per stage, on the (stage, code) index, so neither the queries nor their cost grow with the data)."""
    counts = dict(queryset.order_by().values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    columns = []
    for stage in BOARD_STAGES:
        cards = list(
            # a card shows the district only: load no other related row
            queryset.filter(stage=stage).select_related(None).select_related("district").order_by("-code")[:per_column]
            if counts.get(stage)
            else []
        )
        columns.append(BoardColumn(stage, ProjectStage(stage).label, counts.get(stage, 0), cards))
    return columns


def project_code_next(*, district_code: str, today: dt.date) -> str:
    """A free code of the form ``KP-<year>-<district>-<nnnn>``."""
    prefix = f"KP-{today.year}-{district_code}-"
    last = KeyProject.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{number:04d}"


def projects_of_officer(*, user: Any) -> QuerySet[KeyProject]:
    """The projects an officer follows: assigned to them, else (none assigned) every project in their scope."""
    scoped = key_project_list(user=user)
    mine = scoped.filter(officer=user)
    return mine if mine.exists() else scoped.exclude(stage__in=[ProjectStage.CANCELLED, ProjectStage.AT_CAPACITY])


def active_q() -> Q:
    """Projects that are monitored (signed and not yet at capacity or cancelled)."""
    return ~Q(stage__in=[ProjectStage.LEAD, ProjectStage.NEGOTIATING, ProjectStage.AT_CAPACITY, ProjectStage.CANCELLED])
