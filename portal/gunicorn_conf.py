"""gunicorn's settings (`gunicorn -c python:portal.gunicorn_conf`): its log lines in the portal's format.

Django and Celery already write one JSON object per line to stdout; without
this, gunicorn's start, stop and worker-timeout lines would be plain text on
stderr in the same stream.
"""

import copy

from portal.settings import LOGGING

logconfig_dict = copy.deepcopy(LOGGING)
logconfig_dict["loggers"] |= {
    "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    # The reverse proxy logs every request; a second line per request here would only cost time.
    "gunicorn.access": {"level": "WARNING", "handlers": ["stdout"], "propagate": False},
}
