"""``industria demo-logins``: print the demo accounts (role, scope, user name, password) for `make demo`."""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo logins, one per role."

    def handle(self, *args: Any, **options: Any) -> None:
        password = importlib.import_module("industria.accounts.demo").DEMO_PASSWORD
        users = (
            get_user_model()
            .objects.filter(groups__isnull=False)
            .prefetch_related("groups")
            .select_related("district", "enterprise")
            .distinct()
            .order_by("username")
        )
        self.stdout.write(f"{'role':<20} {'scope':<36} {'user':<18} password")
        for user in users:
            role = ", ".join(g.name for g in user.groups.all())
            scope = {
                "district": lambda u: f"district {u.district.code} {u.district.name_en}",
                "enterprise": lambda u: f"enterprise {u.enterprise.uscc}",
            }.get(user.scope, lambda u: "whole city")(user)
            self.stdout.write(f"{role:<20} {scope:<36} {user.username:<18} {password}")
