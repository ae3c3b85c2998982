import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpes.settings")
application = get_wsgi_application()

# Build the matching index as the server starts. With `gunicorn --preload` this runs once in the master before
# the workers fork, so every worker starts with it (shared copy-on-write); without it each worker builds its own
# in a background thread and pages say suggestions are being prepared until it is ready.
from django.conf import settings  # noqa: E402

if os.environ.get("OPENPES_MATCHING_PRELOAD", "1") == "1" and not settings.TESTING:
    from openpes.matching import service

    if os.environ.get("OPENPES_MATCHING_PRELOAD_BLOCKING") == "1":
        from django.db import connections

        service.get_index()
        connections.close_all()  # never hand a database connection to forked workers
    else:
        service.warm_in_background()
