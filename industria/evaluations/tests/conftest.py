"""Fixtures of the evaluations tests.

``evaluation_roles`` grants, as database permissions, what the report asks ``accounts/roles.py`` to declare:
programme_manager ``evaluations.*``; enterprise_user ``evaluations.view_assessment``,
``evaluations.view_objection``, ``evaluations.add_objection``; district_officer ``evaluations.view_*``.
"""

from __future__ import annotations

from typing import Any

import pytest

REQUESTED_ROLE_PERMISSIONS = {
    "programme_manager": ["*"],
    "enterprise_user": ["view_assessment", "view_objection", "add_objection"],
    "district_officer": ["view_*"],
    "municipal_analyst": ["view_*"],
}


@pytest.fixture(autouse=True)
def evaluation_roles(db: Any) -> None:
    from fnmatch import fnmatchcase

    from django.contrib.auth.models import Group, Permission

    perms = list(Permission.objects.filter(content_type__app_label="evaluations"))
    for role, patterns in REQUESTED_ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        group.permissions.add(*[p for p in perms if any(fnmatchcase(p.codename, pat) for pat in patterns)])


@pytest.fixture
def manager(make_user: Any) -> Any:
    return make_user("programme_manager", username="manager")


@pytest.fixture
def run_round(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a round's job eagerly; returns the refreshed round."""

    def run(round_: Any, actor: Any) -> Any:
        from industria.evaluations import services

        with django_capture_on_commit_callbacks(execute=True):
            job = services.evaluation_round_run(actor=actor, round_=round_)
        job.refresh_from_db()
        assert job.status == "succeeded", (job.error, job.log)
        round_.refresh_from_db()
        return round_

    return run
