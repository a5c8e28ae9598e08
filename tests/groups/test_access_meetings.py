"""The rule book on meetings: who sees the video link, who takes part, who reads the minutes."""

import pytest

from groups import access
from meetings.models import Minutes
from tests.factories.meetings import MeetingFactory, ParticipantFactory
from tests.roles import ROLES

# Who sees the video link of each kind of meeting, without taking part: the people inside its ring
# (its audience, or the home space of a public meeting), never the public.
INNER_RING = {"inner_member", "inner_coordinator", "coordinator", "staff"}
FACHGRUPPE_RING = INNER_RING | {"partner", "fachgruppe_coordinator"}
LINK_WITHOUT_TAKING_PART = {
    "inner meeting": INNER_RING,
    "inner meeting widened to the Fachgruppe": FACHGRUPPE_RING,
    "public meeting of the inner circle": INNER_RING,
    "public meeting of the Fachgruppe": FACHGRUPPE_RING,
}
# Who may see each meeting at all (and so take part through a page of it).
MEETING_VISIBLE_TO = {
    "inner meeting": INNER_RING,
    "inner meeting widened to the Fachgruppe": FACHGRUPPE_RING,
    "public meeting of the inner circle": set(ROLES),
    "public meeting of the Fachgruppe": set(ROLES),
}
SIGNED_IN = set(ROLES) - {"anonymous", "deactivated"}


@pytest.fixture
def meetings(fachgruppe, inner):
    return {
        "inner meeting": MeetingFactory(space=inner),
        "inner meeting widened to the Fachgruppe": MeetingFactory(space=inner, audience=fachgruppe),
        "public meeting of the inner circle": MeetingFactory(space=inner, audience=None),
        "public meeting of the Fachgruppe": MeetingFactory(space=fachgruppe, audience=None),
    }


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_video_link_is_for_the_ring_of_the_meeting(person, meetings, request):
    role = request.node.callspec.params["person"]

    with_link = access.meetings_with_visible_link(person, list(meetings.values()))

    for name, meeting in meetings.items():
        expected = role in LINK_WITHOUT_TAKING_PART[name]
        assert (meeting.pk in with_link) == expected, name
        assert access.can_see_meeting_link(person, meeting) == expected, name
        # A page that has read the meeting and its participants asks without a query: same answer.
        if role in MEETING_VISIBLE_TO[name]:
            assert access.can_see_meeting_link(person, meeting, takes_part=False) == expected, name


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_whoever_takes_part_in_a_meeting_they_may_see_gets_the_link(person, meetings, request):
    role = request.node.callspec.params["person"]
    if role == "anonymous":
        return  # the public cannot be invited with an account
    for meeting in meetings.values():
        ParticipantFactory(meeting=meeting, user=person)

    with_link = access.meetings_with_visible_link(person, list(meetings.values()))

    for name, meeting in meetings.items():
        # A deactivated account counts nowhere, not even as a participant.
        expected = role in MEETING_VISIBLE_TO[name] and role != "deactivated"
        assert (meeting.pk in with_link) == expected, name
        assert access.can_see_meeting_link(person, meeting) == expected, name
        assert access.is_participant(person, meeting) == (role != "deactivated"), name
        if role in MEETING_VISIBLE_TO[name]:
            assert access.can_see_meeting_link(person, meeting, takes_part=True) == expected, name


def test_the_public_never_sees_the_video_link(anonymous, meetings):
    public_meeting = meetings["public meeting of the Fachgruppe"]

    assert not access.can_see_meeting_link(anonymous, public_meeting, takes_part=False)
    assert not access.can_see_meeting_link(anonymous, public_meeting, takes_part=True)
    assert not access.is_participant(anonymous, public_meeting)


def test_a_calendar_without_meetings_shows_no_link(partner):
    assert access.meetings_with_visible_link(partner, []) == set()


def test_the_link_of_one_meeting_is_not_shown_for_taking_part_in_another(partner, inner):
    taken_part = MeetingFactory(space=inner, audience=None)
    ParticipantFactory(meeting=taken_part, user=partner)
    not_taken_part = MeetingFactory(space=inner, audience=None)

    with_link = access.meetings_with_visible_link(partner, [taken_part, not_taken_part])

    assert with_link == {taken_part.pk}


def test_an_invited_guest_without_an_account_gets_the_link_by_mail(partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    guest = ParticipantFactory(meeting=meeting, user=None, name="Gast", email="gast@example.org")
    with_account = ParticipantFactory(meeting=meeting, user=partner)

    assert access.guest_sees_meeting_link(guest)
    assert not access.guest_sees_meeting_link(with_account)
    assert not access.guest_sees_meeting_link(ParticipantFactory.build(meeting=None, user=None))


def _minutes(meeting, status) -> Minutes:
    return Minutes.objects.create(meeting=meeting, status=status)


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_published_minutes_follow_their_meeting_and_drafts_are_the_coordinators(
    person, request, fachgruppe, inner
):
    role = request.node.callspec.params["person"]
    published = Minutes.Status.PUBLISHED
    minutes = {
        "published of the Fachgruppe": _minutes(MeetingFactory(space=fachgruppe), published),
        "published of the inner circle": _minutes(MeetingFactory(space=inner), published),
        "published of a public meeting": _minutes(MeetingFactory(space=inner, audience=None), published),
        "draft of the Fachgruppe": _minutes(MeetingFactory(space=fachgruppe), Minutes.Status.DRAFT),
        "draft of a public meeting": _minutes(
            MeetingFactory(space=fachgruppe, audience=None), Minutes.Status.DRAFT
        ),
    }
    fachgruppe_coordinators = {"fachgruppe_coordinator", "coordinator", "staff"}
    expected = {
        "published of the Fachgruppe": FACHGRUPPE_RING,
        "published of the inner circle": INNER_RING,
        "published of a public meeting": set(ROLES),
        "draft of the Fachgruppe": fachgruppe_coordinators,
        "draft of a public meeting": fachgruppe_coordinators,
    }

    seen = {name for name, record in minutes.items() if access.can_see_minutes(person, record)}

    assert seen == {name for name, roles in expected.items() if role in roles}
