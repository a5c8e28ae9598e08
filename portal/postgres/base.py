"""Django's PostgreSQL backend, waiting a few seconds for a database that is restarting.

`make rehearsal` restarted PostgreSQL under load: for the four seconds of the
restart every request that opened a connection answered 500 ("the database
system is shutting down", "... is starting up", connection refused), and the
web nodes, failing fast, worked through their whole queue of waiting requests
that way. A new connection is therefore tried again with a growing pause for up
to DATABASE_CONNECT_RETRY seconds before the error goes up: a restart becomes
a slow answer instead of an error page. Statements on a connection the restart
cut still fail; a transaction is never repeated behind anybody's back.
"""

import logging
import time

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + settings.DATABASE_CONNECT_RETRY
        pause = 0.1
        while True:
            try:
                return super().get_new_connection(conn_params)
            except base.Database.OperationalError:
                if time.monotonic() + pause > deadline:
                    raise
                logger.warning("the database refuses connections; trying again in %.1f s", pause)
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
