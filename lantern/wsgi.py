"""Lantern's WSGI application: Django's, behind the lean sign path (petitions/lean.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
django_application = get_wsgi_application()

from petitions.lean import LeanSign  # noqa: E402 - needs the apps loaded

application = LeanSign(django_application)
