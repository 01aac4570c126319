"""Shared parts of the declarative test cases."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from industria.core.models import ObjectChange

HOME_DISTRICT = "310115"  # Pudong
OTHER_DISTRICT = "310114"  # Jiading


def make_user(role: str, **kwargs: Any) -> Any:
    """Users come from the accounts factories, looked up at run time (core does not import upper apps)."""
    return importlib.import_module("industria.accounts.tests.factories").make_user(role, **kwargs)


def district(code: str) -> Any:
    return importlib.import_module("industria.accounts.tests.factories").district(code)


class CaseBase:
    """What a test class declares."""

    model: ClassVar[type[models.Model]]
    #: factory(district) → an object of ``model`` placed in that district
    factory: ClassVar[Callable[[Any], Any]]
    #: role that may view/add/change/delete the model, scoped to HOME_DISTRICT
    district_role: ClassVar[str] = "district_officer"
    #: a role that may not add this model
    read_only_role: ClassVar[str] = "auditor"

    def make(self, code: str = HOME_DISTRICT) -> Any:
        return type(self).factory(district(code))

    @staticmethod
    def changes_for(obj: models.Model) -> Any:
        return ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )
