"""The benchmark suite (issue #8); `python -m bench` runs it (bench/__main__.py)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    """Django with the test settings, the project's source roots on the path."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    for path in (str(ROOT / "site"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
