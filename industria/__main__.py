"""The ``industria`` console command: Django's manage.py, usable from any directory.

Every CLI feature hangs on it as a management command (``industria import``, ``industria evaluate``,
``industria seed-demo``).  Hyphenated names are accepted and mapped to the command modules' underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command; ``seed-demo`` and ``seed_demo`` are the same command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "industria.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
        if args[1] == "help" and len(args) > 2 and not args[2].startswith("-"):
            args[2] = args[2].replace("-", "_")
    args[0] = "industria"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
