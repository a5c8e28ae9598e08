"""The rule book on questions, projects and shared reads: what each person finds, and what all share."""

import pytest

from groups import access
from groups.models import Question, Space, Thread
from projects.models import Project
from tests.factories import UserFactory
from tests.factories.groups import QuestionFactory, SpaceFactory, ThreadFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.projects import ProjectFactory, accepted, submitted


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_asker_follows_their_question_from_outside_its_ring(outsider, partner, inner):
    theirs = QuestionFactory(space=inner, asked_by=outsider)
    someone_elses = QuestionFactory(space=inner, asked_by=UserFactory())

    assert access.can_view(outsider, theirs)
    assert not access.can_view(outsider, someone_elses)
    assert not access.can_view(partner, theirs)


def test_the_asker_follows_their_question_into_the_one_it_was_merged_into(outsider, partner, inner):
    kept = QuestionFactory(space=inner, asked_by=UserFactory())
    QuestionFactory(space=inner, asked_by=outsider, merged_into=kept, status=Question.Status.MERGED)
    unrelated = QuestionFactory(space=inner, asked_by=UserFactory())

    visible = _ids(access.visible_items(Question.objects.all(), outsider))

    assert kept.pk in visible
    assert unrelated.pk not in visible
    # Only the asker of the merged question follows it: others still need to be inside its ring.
    assert not access.can_view(partner, kept)


def test_an_asker_still_sees_the_public_questions_of_others(outsider, fachgruppe):
    QuestionFactory(space=fachgruppe, asked_by=outsider)
    public = QuestionFactory(space=fachgruppe, audience=None, asked_by=UserFactory())

    assert access.can_view(outsider, public)


def test_a_deactivated_asker_no_longer_sees_their_question(deactivated, inner):
    question = QuestionFactory(space=Space.objects.create(name="Arbeitskreis X", slug="ak-x"))
    question.asked_by = deactivated
    question.save()

    assert not access.can_view(deactivated, question)


@pytest.fixture
def projects(fachgruppe, coordinator):
    submitter = UserFactory()
    return {
        "draft": ProjectFactory(submitted_by=submitter),
        "under review": submitted(ProjectFactory(submitted_by=submitter)),
        "accepted": accepted(ProjectFactory(submitted_by=submitter), by=coordinator),
        "accepted, shown to the Fachgruppe": ProjectFactory(
            submitted_by=submitter, status=Project.Status.ACCEPTED
        ),
    }


def test_accepted_projects_follow_the_ring_and_the_others_are_the_coordinators(
    projects, anonymous, partner, fachgruppe_coordinator, inner_coordinator, staff
):
    submitter = projects["draft"].submitted_by
    everything = set(projects)
    public_ones = {"accepted"}
    fachgruppe_ones = {"accepted", "accepted, shown to the Fachgruppe"}
    seen_by = {
        anonymous: public_ones,
        partner: fachgruppe_ones,
        inner_coordinator: fachgruppe_ones,
        fachgruppe_coordinator: everything,
        staff: everything,
        submitter: everything,  # their own, whatever the state
    }

    for person, expected in seen_by.items():
        visible = _ids(access.visible_items(Project.objects.all(), person))
        assert {name for name, project in projects.items() if project.pk in visible} == expected, person


def test_a_reads_shared_by_a_standing_leave_out_what_is_someone_s_own(
    projects, fachgruppe, partner, fachgruppe_coordinator, staff, outsider, anonymous
):
    # The submitter is a partner: their own projects under review are theirs, not their standing's.
    submitter = projects["draft"].submitted_by
    fachgruppe.memberships.create(user=submitter)
    asked = QuestionFactory(space=SpaceFactory(), asked_by=submitter)
    fachgruppe_ones = {projects["accepted"].pk, projects["accepted, shown to the Fachgruppe"].pk}

    assert _ids(access.visible_through_standing(Project.objects.all(), submitter)) == fachgruppe_ones
    assert _ids(access.visible_through_standing(Project.objects.all(), partner)) == fachgruppe_ones
    assert _ids(access.visible_through_standing(Project.objects.all(), anonymous)) == {
        projects["accepted"].pk
    }
    assert _ids(access.visible_through_standing(Project.objects.all(), fachgruppe_coordinator)) == _ids(
        Project.objects.all()
    )
    assert _ids(access.visible_through_standing(Project.objects.all(), staff)) == _ids(Project.objects.all())
    assert asked.pk not in _ids(access.visible_through_standing(Question.objects.all(), submitter))
    assert asked.pk in _ids(access.visible_items(Question.objects.all(), submitter))
    assert access.standing_key(submitter) == access.standing_key(partner)


def test_staff_read_everything_through_their_standing(staff):
    hidden = ThreadFactory(space=SpaceFactory())

    assert hidden.pk in _ids(access.visible_through_standing(Thread.objects.all(), staff))


@pytest.fixture
def sibling(fachgruppe) -> Space:
    """A working group inside the Fachgruppe next to the inner circle."""
    return SpaceFactory(parent=fachgruppe)


def test_the_shared_minutes_show_what_every_reader_of_the_meeting_may_see(
    fachgruppe, inner, sibling, coordinator
):
    inner_meeting = MeetingFactory(space=inner)
    threads = {
        "inner": ThreadFactory(space=inner),
        "fachgruppe": ThreadFactory(space=fachgruppe),
        "public": ThreadFactory(space=inner, audience=None),
        "sibling": ThreadFactory(space=sibling),
    }

    shared = _ids(access.visible_to_audience(Thread.objects.all(), inner_meeting))
    shared_of_public_meeting = _ids(
        access.visible_to_audience(Thread.objects.all(), MeetingFactory(space=inner, audience=None))
    )

    assert {name for name, thread in threads.items() if thread.pk in shared} == {
        "inner",
        "fachgruppe",
        "public",
    }
    assert {name for name, thread in threads.items() if thread.pk in shared_of_public_meeting} == {"public"}


def test_the_shared_minutes_show_only_accepted_projects_of_the_meeting_s_rings(
    fachgruppe, inner, sibling, coordinator
):
    under_review = submitted(ProjectFactory(space=fachgruppe))
    shown_to_fachgruppe = ProjectFactory(space=fachgruppe, status=Project.Status.ACCEPTED)
    shown_to_sibling = ProjectFactory(space=sibling, status=Project.Status.ACCEPTED)
    public = accepted(ProjectFactory(space=fachgruppe), by=coordinator)

    shared = _ids(access.visible_to_audience(Project.objects.all(), MeetingFactory(space=inner)))

    assert shared == {shown_to_fachgruppe.pk, public.pk}
    assert under_review.pk not in shared
    assert shown_to_sibling.pk not in shared


def test_replies_come_from_inside_the_audience_or_for_public_items_the_home_space(
    fachgruppe, inner, partner, inner_member, outsider, staff, anonymous, deactivated
):
    widened = ThreadFactory(space=inner, audience=fachgruppe)
    public_inner = ThreadFactory(space=inner, audience=None)

    assert access.can_contribute(partner, widened)
    assert not access.can_contribute(partner, public_inner)
    assert access.can_contribute(inner_member, public_inner)
    assert not access.can_contribute(outsider, public_inner)
    assert access.can_contribute(staff, ThreadFactory(space=SpaceFactory()))
    assert not access.can_contribute(anonymous, public_inner)
    assert not access.can_contribute(deactivated, widened)


def test_an_item_widens_one_ring_outward_then_to_the_public(fachgruppe, inner):
    assert access.outer_audience(ThreadFactory(space=inner)) == fachgruppe
    assert access.outer_audience(ThreadFactory(space=fachgruppe)) is None
    with pytest.raises(ValueError, match="cannot be widened"):
        access.outer_audience(ThreadFactory(space=fachgruppe, audience=None))


def test_members_and_the_spaces_whose_content_they_see(fachgruppe, inner, partner, inner_member, staff):
    assert access.is_member(partner, fachgruppe)
    assert not access.is_member(partner, inner)
    assert access.is_member(inner_member, inner)
    # Staff see every space without being a member of any.
    assert not access.is_member(staff, fachgruppe)
    assert access.can_see_space_content(staff, inner)
    assert access.can_see_space_content(partner, fachgruppe)
    assert not access.can_see_space_content(partner, inner)
    assert set(access.visible_spaces(partner)) == {fachgruppe}
    assert set(access.visible_spaces(inner_member)) == {fachgruppe, inner}


def test_the_coordination_scope_is_what_is_at_home_in_the_space(fachgruppe, inner):
    at_home = ThreadFactory(space=fachgruppe)
    shared_outward = ThreadFactory(space=inner, audience=fachgruppe)

    scope = _ids(access.coordination_scope(Thread.objects.all(), space=fachgruppe))

    assert at_home.pk in scope
    assert shared_outward.pk not in scope


def test_a_coordinator_neither_reviews_their_own_project_nor_loses_the_right_to_edit_it(
    fachgruppe_coordinator, partner
):
    own = submitted(ProjectFactory(submitted_by=fachgruppe_coordinator))
    someone_elses = submitted(ProjectFactory(submitted_by=partner))

    assert not access.can_review(fachgruppe_coordinator, own)
    assert access.can_review(fachgruppe_coordinator, someone_elses)
    assert access.can_edit_project(fachgruppe_coordinator, own)


def test_the_submitter_edits_while_the_project_is_theirs_to_change(partner, outsider, deactivated):
    draft = ProjectFactory(submitted_by=partner)
    returned = ProjectFactory(submitted_by=partner, status=Project.Status.RETURNED)
    under_review = submitted(ProjectFactory(submitted_by=partner))

    assert access.can_edit_project(partner, draft)
    assert access.can_edit_project(partner, returned)
    assert not access.can_edit_project(partner, under_review)
    assert not access.can_edit_project(outsider, draft)
    assert not access.can_edit_project(deactivated, ProjectFactory(submitted_by=deactivated))


def test_a_space_lists_its_own_items_and_those_shared_into_it_from_inside(fachgruppe, inner, inner_member):
    at_home = ThreadFactory(space=fachgruppe)
    public_at_home = ThreadFactory(space=fachgruppe, audience=None)
    shared_in = ThreadFactory(space=inner, audience=fachgruppe)
    ThreadFactory(space=inner)
    ThreadFactory(space=SpaceFactory(), audience=None)

    listed = _ids(access.items_of_space(Thread.objects.all(), user=inner_member, space=fachgruppe))

    # The inner circle's own thread and another space's public one belong on their own pages.
    assert listed == {at_home.pk, public_at_home.pk, shared_in.pk}


def test_the_public_items_are_those_without_an_audience(fachgruppe, inner):
    public = ThreadFactory(space=inner, audience=None)
    ThreadFactory(space=fachgruppe)
    ThreadFactory(space=inner, audience=fachgruppe)

    assert _ids(access.public_items(Thread.objects.all())) == {public.pk}
