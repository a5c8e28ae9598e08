"""Draft minutes are for the coordinators of the meeting's home space, on every channel.

Coordinating the space the meeting is shared with, or a space inside or around its home, is not
enough: the inner circle's meeting shared with the Fachgruppe shows its draft to the inner
circle's coordination only, and the Fachgruppe's meeting to the Fachgruppe's coordination only.
The page, the PDF, the meetings search and the portal search all ask the rule book
(groups.access.can_see_minutes and readable_minutes), and a test here compares the two.
"""

import pytest

from groups import access
from meetings import minutes as service
from meetings.models import ActionItem, AgendaItem, Decision, Minutes
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory
from tests.roles import ROLES

RARE = "Zinngießerei"
DRAFT_TEXT = "Die Zinngießerei stellte ihre Ausbildungszahlen vor."

# Who reads the draft of a meeting, by its home space; everyone else who sees the meeting does not.
DRAFT_READERS = {
    "inner": {"inner_coordinator", "coordinator", "staff"},
    "fachgruppe": {"fachgruppe_coordinator", "coordinator", "staff"},
}


def _draft_meeting(home, audience, *, by):
    """A held meeting whose draft has a discussion, a decision and a task, all with the rare word."""
    meeting = HeldMeetingFactory(space=home, audience=audience, title="Herbstrunde")
    item = AgendaItemFactory(meeting=meeting, title="Bericht")
    service.agenda_item_discussion_edit(agenda_item=item, by=by, discussion=DRAFT_TEXT)
    service.decision_add(agenda_item=item, by=by, text="Die Zinngießerei wird eingeladen.")
    service.action_item_add(
        meeting=meeting,
        by=by,
        title="Zinngießerei anschreiben",
        agenda_item=item,
        other_assignees="Geschäftsstelle",
    )
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.DRAFT
    return meeting


@pytest.fixture(params=["inner", "fachgruppe"])
def home(request, fachgruppe, inner, coordinator):
    """The inner circle's meeting shared with the Fachgruppe, or the Fachgruppe's own meeting: both
    are seen by every member of the Fachgruppe, so only the draft rule keeps the draft from them."""
    space = inner if request.param == "inner" else fachgruppe
    return request.param, _draft_meeting(space, fachgruppe, by=coordinator)


def _reads_draft(role: str, home_name: str) -> bool:
    return role in DRAFT_READERS[home_name]


@pytest.mark.parametrize(
    "person",
    ["partner", "inner_member", "fachgruppe_coordinator", "inner_coordinator", "coordinator", "staff"],
    indirect=True,
)
def test_the_meeting_page_and_the_pdf_show_the_draft_to_the_home_space_coordination_only(
    client, request, home, person
):
    home_name, meeting = home
    role = request.node.callspec.params["person"]
    client.force_login(person)

    page = client.get(meeting.get_absolute_url())

    assert page.status_code == 200  # everyone here sees the meeting itself
    assert (DRAFT_TEXT in page.content.decode()) is _reads_draft(role, home_name)
    if not _reads_draft(role, home_name):
        assert client.get(f"/meetings/{meeting.pk}/minutes.pdf").status_code == 404
        assert client.get(f"/meetings/{meeting.pk}/minutes/").status_code == 404


@pytest.mark.parametrize(
    "person",
    ["partner", "inner_member", "fachgruppe_coordinator", "inner_coordinator", "coordinator", "staff"],
    indirect=True,
)
def test_both_searches_find_the_draft_for_the_home_space_coordination_only(client, request, home, person):
    home_name, _meeting = home
    role = request.node.callspec.params["person"]
    client.force_login(person)

    meetings_search = client.get("/meetings/search/", {"q": RARE}).content.decode()
    portal_search = client.get("/suche/", {"q": RARE}).context["result"]

    expected = _reads_draft(role, home_name)
    assert ("Die Zinngießerei wird eingeladen." in meetings_search) is expected
    assert ("Zinngießerei anschreiben" in meetings_search) is expected
    assert ("stellte ihre Ausbildungszahlen vor" in meetings_search) is expected
    kinds = {facet.label: facet.count for facet in portal_search.kinds}
    assert kinds == ({"Protokolle": 1, "Beschlüsse": 1, "Aufgaben": 1} if expected else {})


def test_published_minutes_are_found_by_everyone_who_sees_the_meeting(client, home, partner, coordinator):
    _home_name, meeting = home
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)

    assert DRAFT_TEXT in client.get(meeting.get_absolute_url()).content.decode()
    assert "Zinngießerei anschreiben" in client.get("/meetings/search/", {"q": RARE}).content.decode()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_object_rule_and_the_queryset_rule_of_the_minutes_agree(
    request, fachgruppe, inner, coordinator, person
):
    """can_see_minutes (the page, the PDF) and readable_minutes (the searches) answer alike for every
    role, for drafts and published minutes, at home in either space, shared or not."""
    meetings = []
    for published in (False, True):
        for home, audience in [
            (inner, inner),
            (inner, fachgruppe),
            (fachgruppe, fachgruppe),
            (fachgruppe, None),
        ]:
            meeting = _draft_meeting(home, audience, by=coordinator)
            if published:
                service.minutes_publish(meeting=meeting, by=coordinator)
            meetings.append(meeting)

    by_object = {m.pk for m in meetings if access.can_see_minutes(person, Minutes.objects.get(meeting=m))}
    for model, via in [(AgendaItem, "meeting"), (ActionItem, "meeting"), (Decision, "agenda_item__meeting")]:
        found = access.readable_minutes(model.objects.all(), person, via=via)
        by_queryset = set(found.values_list(f"{via}__pk", flat=True))
        assert by_queryset == by_object, (model.__name__, request.node.callspec.params["person"])
