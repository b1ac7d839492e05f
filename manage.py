#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assetmap.settings")
    # manage.py is the developer's entry point: without an explicit DEBUG it runs in
    # development mode, so `uv run manage.py demo` needs no set-up. The WSGI/ASGI entry
    # points used in production never set this; there DEBUG is off unless asked for.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
