"""The Fachgruppe: the space that questions, information pages and model projects belong to.

Code finds it by its flag (`Space.is_fachgruppe`, set by migration 0005 and
guarded by a unique constraint and the system check `groups.E001`), never by
its slug, which coordinators may rename in the admin. The slugs below are the
ones migration 0003 gives the two spaces; demo data and tests use them.
"""

from groups.models import Space
from portal import readcache

FACHGRUPPE_SLUG = "fachgruppe-handwerk"
INNER_SLUG = "fachkraeftezentren-handwerk"


def fachgruppe() -> Space:
    return Space.objects.get(is_fachgruppe=True)


def fachgruppe_id() -> int:
    """The Fachgruppe's id, a shared read (portal/readcache.py): every catalogue page asks it."""
    return readcache.shared_read("fachgruppe_id", build=lambda: fachgruppe().pk)
