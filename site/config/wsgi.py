"""WSGI entry point: `gunicorn --chdir site config.wsgi` (see README)."""

import os
import sys
from pathlib import Path

# site/ is a source root, not a package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
