"""Base class for management commands that write: every write is attributed to an actor through channel "cli".

(Not a file of the standard app anatomy: it is the CLI counterpart of the request middleware in changelog.py.)
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from .changelog import change_context
from .choices import ChangeSource


class AuditedCommand(BaseCommand):
    """A command whose writes land in the change log as channel ``cli`` with ``--actor`` as the user."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", help="user name the changes are attributed to (default: $USER if it is a user)")

    def execute(self, *args: Any, **options: Any) -> Any:
        actor = self._actor(options.get("actor"))
        with change_context(actor=actor, source=ChangeSource.CLI):
            return super().execute(*args, **options)

    @staticmethod
    def _actor(name: str | None) -> Any:
        user_model = get_user_model()
        if name:
            try:
                return user_model.objects.get(username=name)
            except user_model.DoesNotExist as exc:
                raise CommandError(f"--actor: no user named {name!r}") from exc
        try:
            return user_model.objects.filter(username=getpass.getuser()).first()
        except Exception:
            return None
