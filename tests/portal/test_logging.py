"""The log format operators parse: one JSON object per line on stdout."""

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest
from django.conf import settings

EMIT_RECORDS = """
import logging
import django

django.setup()
log = logging.getLogger("portal.example")
log.info("Sitzung geplant", extra={"meeting": 42})
log.debug("not shown at INFO")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("Versand fehlgeschlagen")
logging.getLogger("django.request").warning("Not Found: /nirgends")
"""


def _output_of(script: str) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_")) and key != "LOG_LEVEL"
    }
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="true")
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def log_lines() -> list[str]:
    """What a portal process writes to stdout for four log calls, one of them below INFO."""
    return _output_of(EMIT_RECORDS).splitlines()


def test_every_log_record_is_one_json_object_on_one_line_of_stdout(log_lines):
    records = [json.loads(line) for line in log_lines]
    assert [record["message"] for record in records] == [
        "Sitzung geplant",
        "Versand fehlgeschlagen",
        "Not Found: /nirgends",
    ]
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys()
        assert datetime.fromisoformat(record["time"]).tzinfo is not None


def test_log_records_carry_level_logger_and_extra_fields(log_lines):
    info, error, warning = (json.loads(line) for line in log_lines)

    assert (info["level"], info["logger"], info["meeting"]) == ("INFO", "portal.example", 42)
    assert (error["level"], error["logger"]) == ("ERROR", "portal.example")
    assert (warning["level"], warning["logger"]) == ("WARNING", "django.request")


def test_a_traceback_stays_inside_its_record(log_lines):
    _, error, _ = (json.loads(line) for line in log_lines)

    assert "ZeroDivisionError" in error["exc_info"]
    assert "Traceback" in error["exc_info"]


GUNICORN_LINES = """
import django

django.setup()
from gunicorn.config import Config
from gunicorn.glogging import Logger

config = Config()
from portal.gunicorn_conf import logconfig_dict
config.set("logconfig_dict", logconfig_dict)
log = Logger(config)
log.info("Booting worker with pid: %s", 4711)
log.critical("WORKER TIMEOUT (pid:%s)", 4711)
log.access_log.info("GET / 200")
"""


def test_gunicorn_writes_its_own_lines_as_json_too_and_no_access_log():
    lines = _output_of(GUNICORN_LINES).splitlines()

    records = [json.loads(line) for line in lines]
    assert [(r["level"], r["logger"], r["message"]) for r in records] == [
        ("INFO", "gunicorn.error", "Booting worker with pid: 4711"),
        ("CRITICAL", "gunicorn.error", "WORKER TIMEOUT (pid:4711)"),
    ]
