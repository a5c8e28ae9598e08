"""Settings of the test suite: the production settings on the services of this machine."""

import os

from tests.services import discover

SERVICES = discover()

os.environ.update(
    {
        "DEBUG": "false",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "*",
        "EMAIL_URL": "locmem://",
        "SITE_URL": "http://testserver",
    }
)
if SERVICES.database_url:
    os.environ["DATABASE_URL"] = SERVICES.database_url
else:
    os.environ.pop("DATABASE_URL", None)
if SERVICES.redis_url:
    os.environ["REDIS_URL"] = SERVICES.redis_url
else:
    os.environ.pop("REDIS_URL", None)
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))

from portal.settings import *

# Tests do not run collectstatic; the manifest storage would fail without it.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"
if not SERVICES.database_url:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# The live server of the browser tests serves static files straight from the source folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The live server wraps every request in Django's media handler, which breaks on
# MEDIA_URL = None; MEDIA_ROOT stays empty in tests, so this path serves nothing.
MEDIA_URL = "/_media/"
# The suite sends hundreds of API requests a minute from one address; tests/api sets its own limits.
API_REQUESTS_PER_MINUTE_PER_ADDRESS = 1_000_000
API_REQUESTS_PER_MINUTE_PER_TOKEN = 1_000_000
