"""Factories of the accounts app."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from industria.accounts.models import District, User
from industria.core.choices import ScopeKind


def district(code: str = "310115") -> District:
    """A district of the reference data (loaded by migration)."""
    return District.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")
    scope = ScopeKind.CITY

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


def make_user(role: str, *, district_code: str | None = None, enterprise: Any = None, **kwargs: Any) -> User:
    """A user with a role and the scope implied by the arguments (city, district or enterprise)."""
    if enterprise is not None:
        return UserFactory(
            role=role, scope=ScopeKind.ENTERPRISE, enterprise=enterprise, district=enterprise.district, **kwargs
        )
    if district_code is not None:
        return UserFactory(role=role, scope=ScopeKind.DISTRICT, district=district(district_code), **kwargs)
    return UserFactory(role=role, **kwargs)
