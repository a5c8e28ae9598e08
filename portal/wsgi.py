import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# Only web processes load this module: their statements get the web's timeout (portal/db.py).
from portal.db import limit_web_statements  # noqa: E402

limit_web_statements()
