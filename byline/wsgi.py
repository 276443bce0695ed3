"""WSGI entry point for `byline serve` (granian) or any WSGI server (gunicorn byline.wsgi).

Stored pages are answered before Django's handler (byline/site/pagecache.py, `wsgi`).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
application = get_wsgi_application()

from byline.site import pagecache  # noqa: E402 - after Django is set up

application = pagecache.wsgi(application)
