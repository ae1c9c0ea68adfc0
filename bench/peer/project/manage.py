#!/usr/bin/env python
"""manage.py of the wagtail-lms project the side-by-side benchmark builds (bench/peer)."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
