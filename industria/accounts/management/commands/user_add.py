"""``industria user-add USERNAME --role ROLE [--district CODE | --enterprise USCC]``: create or update a user."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import CommandError, CommandParser

from industria.accounts.models import District
from industria.accounts.roles import Role
from industria.accounts.services import user_upsert
from industria.core.choices import ScopeKind
from industria.core.cli import AuditedCommand
from industria.core.exceptions import DomainError


class Command(AuditedCommand):
    help = "Create or update a user with a role and a scope. The password comes from $INDUSTRIA_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--district", help="GB/T 2260 code: gives the user a district scope")
        parser.add_argument("--enterprise", help="credit code: gives the user an enterprise scope")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.apps import apps

        password = os.environ.get("INDUSTRIA_PASSWORD") or getpass.getpass("Password: ")
        fields: dict[str, Any] = {"scope": ScopeKind.CITY, "district": None, "enterprise": None}
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"--district: no district with code {options['district']!r}")
            fields.update(scope=ScopeKind.DISTRICT, district=district)
        if options["enterprise"]:
            enterprise_model = apps.get_model("enterprises", "Enterprise")
            enterprise = enterprise_model.objects.filter(uscc=options["enterprise"].upper()).first()
            if enterprise is None:
                raise CommandError(f"--enterprise: no enterprise with credit code {options['enterprise']!r}")
            fields.update(scope=ScopeKind.ENTERPRISE, enterprise=enterprise)
        try:
            user = user_upsert(
                actor=None, username=options["username"], password=password, role=options["role"], **fields
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # validation errors: a clear message, exit status 1, nothing saved
            messages = getattr(exc, "messages", None)
            raise CommandError("; ".join(messages) if messages else str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"user {user.username}: role {options['role']}, scope {user.scope}"))
