"""Every list page shows one page of rows: page_size + 5 rows make a full first page with a link
to the second, which holds the other 5; page numbers that do not exist answer 404."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from groups.models import Document, InformationPage, JoinRequest, Membership
from groups.spaces import FACHGRUPPE_SLUG
from meetings import minutes as minutes_service
from portal import pagination
from portal.notifications.models import Event, Notification
from tests.factories import UserFactory
from tests.factories.groups import QuestionFactory, ThreadFactory
from tests.factories.meetings import HeldMeetingFactory, MeetingFactory
from tests.factories.projects import ProjectFactory, submitted

pytestmark = pytest.mark.django_db

ROW = re.compile(r"Zeile (\d+)\b")


@dataclass(frozen=True)
class Case:
    url: str
    who: str  # the role fixture that signs in
    add_rows: Callable  # (count, fixtures) -> None, rows titled "Zeile <n>"
    page_size: int = pagination.PAGE_SIZE
    parameter: str = pagination.PAGE_PARAMETER


def _meetings(count, f):
    for n in range(count):
        MeetingFactory(space=f["fachgruppe"], title=f"Zeile {n}")


def _threads(count, f):
    for n in range(count):
        ThreadFactory(space=f["fachgruppe"], title=f"Zeile {n}")


def _documents(count, f):
    for n in range(count):
        Document.objects.create(space=f["fachgruppe"], audience=f["fachgruppe"], title=f"Zeile {n}")


def _information(count, f):
    for n in range(count):
        InformationPage.objects.create(
            space=f["fachgruppe"],
            audience=None,
            title=f"Zeile {n}",
            slug=f"zeile-{n}",
            body="Text",
            published_at=timezone.now(),
        )


def _questions(count, f):
    for n in range(count):
        QuestionFactory(space=f["fachgruppe"], title=f"Zeile {n}")


def _notifications(count, f):
    for n in range(count):
        event = Event.objects.create(
            kind="thread_created", audience=Event.Audience.PEOPLE, data={"title": f"Zeile {n}"}
        )
        Notification.objects.create(event=event, user=f["partner"])


def _review_queue(count, f):
    for n in range(count):
        submitted(ProjectFactory(title=f"Zeile {n}"))


def _members(count, f):
    # The partner and the coordinator are members already: they count as two of the rows.
    for n, user in enumerate((f["partner"], f["coordinator"]), start=count - 2):
        user.name = f"Zeile {n}"
        user.save(update_fields=["name"])
    for n in range(count - 2):
        Membership.objects.create(space=f["fachgruppe"], user=UserFactory(name=f"Zeile {n}"))


def _join_requests(count, f):
    for n in range(count):
        JoinRequest.objects.create(space=f["fachgruppe"], user=UserFactory(name=f"Zeile {n}"))


def _tasks(count, f):
    meeting = HeldMeetingFactory(space=f["fachgruppe"], title="Treffen")
    minutes_service.minutes_edit(meeting=meeting, by=f["coordinator"], introduction="Begrüßung")
    for n in range(count):
        minutes_service.action_item_add(
            meeting=meeting, by=f["coordinator"], title=f"Zeile {n}", assignees=[f["partner"]]
        )
    minutes_service.minutes_publish(meeting=meeting, by=f["coordinator"])


def _my_projects(count, f):
    for n in range(count):
        ProjectFactory(title=f"Zeile {n}", submitted_by=f["partner"])


CASES = {
    "meetings": Case("/meetings/", "partner", _meetings),
    "threads": Case(f"/spaces/{FACHGRUPPE_SLUG}/threads/", "partner", _threads),
    "documents": Case(f"/spaces/{FACHGRUPPE_SLUG}/documents/", "partner", _documents),
    "information": Case("/informationen/", "partner", _information, page_size=10),
    "questions": Case("/fragen/", "coordinator", _questions),
    "notifications": Case("/notifications/", "partner", _notifications, parameter="page"),
    "review queue": Case("/projects/pruefung/", "coordinator", _review_queue),
    "members": Case(f"/spaces/{FACHGRUPPE_SLUG}/members/", "partner", _members),
    "join requests": Case(f"/spaces/{FACHGRUPPE_SLUG}/requests/", "coordinator", _join_requests),
    "Meine Aufgaben": Case("/meetings/tasks/", "partner", _tasks),
    "Meine Projekte": Case("/projects/meine/", "partner", _my_projects),
}


def _rows(response) -> set[str]:
    """The rows of the page's main content (the header names the signed-in person)."""
    assert response.status_code == 200
    main = response.content.decode().partition('<main id="main"')[2].partition("</main>")[0]
    return set(ROW.findall(main))


@pytest.mark.parametrize("name", CASES)
def test_a_list_shows_one_page_and_links_to_the_next(name, client, fachgruppe, partner, coordinator):
    case = CASES[name]
    case.add_rows(
        case.page_size + 5, {"fachgruppe": fachgruppe, "partner": partner, "coordinator": coordinator}
    )
    client.force_login({"partner": partner, "coordinator": coordinator}[case.who])

    first = client.get(case.url)
    second = client.get(f"{case.url}?{case.parameter}=2")

    assert len(_rows(first)) == case.page_size
    assert f"{case.parameter}=2" in first.content.decode()
    assert len(_rows(second)) == 5
    assert _rows(first).isdisjoint(_rows(second))
    assert len(_rows(first) | _rows(second)) == case.page_size + 5
    assert f"{case.parameter}=1" in second.content.decode()


@pytest.mark.parametrize("name", CASES)
def test_a_page_that_does_not_exist_answers_404(name, client, fachgruppe, partner, coordinator):
    """Past the last page, before the first, and what is no page number at all: all asked of one list."""
    case = CASES[name]
    case.add_rows(
        case.page_size + 5, {"fachgruppe": fachgruppe, "partner": partner, "coordinator": coordinator}
    )
    client.force_login({"partner": partner, "coordinator": coordinator}[case.who])
    numbers = ["3", "0", "-1", "x", "1.5", "²"]

    answers = {number: client.get(f"{case.url}?{case.parameter}={number}").status_code for number in numbers}

    assert answers == dict.fromkeys(numbers, 404)


def test_an_empty_list_still_has_its_first_page(client, partner):
    client.force_login(partner)

    assert client.get("/meetings/tasks/?seite=1").status_code == 200
    assert client.get("/meetings/tasks/?seite=2").status_code == 404


def test_the_meeting_list_pages_upcoming_first_then_past_and_keeps_the_filter(
    client, fachgruppe, inner, coordinator
):
    now = timezone.now()
    for n in range(20):
        MeetingFactory(
            space=fachgruppe, title=f"Kommend {n:02d}", starts_at=now + datetime.timedelta(days=n + 1)
        )
    for n in range(20):
        MeetingFactory(
            space=fachgruppe, title=f"Vergangen {n:02d}", starts_at=now - datetime.timedelta(days=n + 1)
        )
    MeetingFactory(space=inner, title="Anderer Raum", starts_at=now + datetime.timedelta(hours=1))
    client.force_login(coordinator)

    first = client.get(f"/meetings/?space={FACHGRUPPE_SLUG}").content.decode()
    second = client.get(f"/meetings/?space={FACHGRUPPE_SLUG}&seite=2").content.decode()

    titles = re.findall(r"(Kommend \d+|Vergangen \d+|Anderer Raum)</a>", first + second)
    assert titles == [f"Kommend {n:02d}" for n in range(20)] + [f"Vergangen {n:02d}" for n in range(20)]
    assert (
        first.index("Kommende Sitzungen") < first.index("Vergangene Sitzungen") < first.index("Vergangen 00")
    )
    assert f"?space={FACHGRUPPE_SLUG}&amp;seite=2" in first
    assert "Kommende Sitzungen" not in second
    assert "40 Einträge" in first


def test_a_count_past_the_cap_says_more_than(monkeypatch, client, fachgruppe, partner):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    _threads(5, {"fachgruppe": fachgruppe})
    client.force_login(partner)

    html = client.get(f"/spaces/{FACHGRUPPE_SLUG}/threads/").content.decode()

    assert "mehr als 3 Einträge" in html
    assert "5 Einträge" not in html
