"""WSGI entry point (waitress for ``shopops serve``, gunicorn at scale)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopops.settings")
application = get_wsgi_application()
