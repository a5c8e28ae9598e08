"""The small print validators find: machine-readable times HTML accepts, htmx attributes in their
valid `data-` form, and a description on every page."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from portal import dates
from tests.factories.groups import ThreadFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A valid HTML global date and time string as the portal writes it: to the second, with the offset.
MACHINE_MOMENT = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?$")


def test_a_moment_is_written_to_the_second_in_berlin_time():
    moment = datetime.datetime(2026, 7, 1, 13, 5, 9, 123456, tzinfo=datetime.UTC)

    assert dates.machine_time(moment) == "2026-07-01T15:05:09+02:00"
    assert dates.machine_time(datetime.date(2026, 12, 24)) == "2026-12-24"
    assert dates.machine_time(None) == ""
    assert ZoneInfo(settings.TIME_ZONE).key == "Europe/Berlin"


@pytest.mark.django_db
def test_the_times_of_a_thread_page_are_valid_html(client, fachgruppe, partner):
    thread = ThreadFactory(space=fachgruppe, audience=None)
    client.force_login(partner)

    html = client.get(thread.get_absolute_url()).content.decode()

    moments = re.findall(r'datetime="([^"]*)"', html)
    assert moments
    assert all(MACHINE_MOMENT.match(moment) for moment in moments), moments


def test_no_template_uses_the_bare_hx_attributes_or_the_c_format():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"(?<![\w-])hx-[a-z-]+=", text) or re.search(r"\|date:['\"]c['\"]", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


@pytest.mark.django_db
def test_a_page_has_one_description(client, fachgruppe):
    start = client.get("/").content.decode()

    assert re.search(r'<meta name="description" content="[^"]{40,}">', start)
    assert start.count('name="description"') == 1
