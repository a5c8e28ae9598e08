"""Which real services the test suite runs against.

In CI (CI=true) PostgreSQL and Redis are required: a missing service stops the
run with an error. On a laptop without them the suite falls back to SQLite and
skips only the tests marked `redis`, and says so loudly.
"""

import os
import sys
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass(frozen=True)
class Services:
    ci: bool
    database_url: str | None
    redis_url: str | None
    problems: tuple[str, ...]


def _postgres_answers(url: str) -> str | None:
    import psycopg
    from environ import Env

    config = Env.db_url_config(url)
    try:
        with psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {url} does not answer: {exc}".strip()


def _redis_answers(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {url} does not answer: {exc}"
    return None


def discover() -> Services:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    database_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    problems = []
    if problem := _postgres_answers(database_url):
        problems.append(problem)
        database_url = None
    if problem := _redis_answers(redis_url):
        problems.append(problem)
        redis_url = None
    if ci and problems:
        sys.exit("CI needs the real services and cannot reach them:\n  " + "\n  ".join(problems))
    return Services(ci=ci, database_url=database_url, redis_url=redis_url, problems=tuple(problems))
