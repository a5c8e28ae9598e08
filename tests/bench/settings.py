"""The production settings plus a bare page to compare the portal's pages against."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
