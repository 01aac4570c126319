#!/usr/bin/env python
"""Django's command-line utility; the same entry point as the installed ``industria`` command."""

from industria.__main__ import main

if __name__ == "__main__":
    main()
