"""`make bench`: the portal under load, served by gunicorn on PostgreSQL, measured with wrk."""
