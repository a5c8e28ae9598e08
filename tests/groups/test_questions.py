"""Questions in: intake by any verified partner, triage by the coordination, the asker always informed."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from groups import information, questions
from groups.models import Question, Thread, Topic, Trade
from portal.notifications import delivery
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from tests.factories import UserFactory
from tests.once import token
from tests.querycount import assert_constant_queries


def deliver_all() -> None:
    """What the worker does, synchronously: dispatch every pending event, send the immediate mails."""
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)


def ask(
    asker, title="Wie gewinnen Bäckereien Quereinsteiger?", body="Hintergrund der AG Transfer."
) -> Question:
    return questions.question_submit(asker=asker, title=title, body=body, working_group="AG Transfer")


def test_a_partner_outside_the_fachgruppe_asks_and_follows_the_question(client, outsider, fachgruppe):
    bakery = Trade.objects.create(name="Bäckerhandwerk", slug="baeckerhandwerk")
    client.force_login(outsider)

    response = client.post(
        "/fragen/neu/",
        {
            "title": "Wie gewinnen Bäckereien Quereinsteiger?",
            "body": "Aus der **AG Transfer**.",
            "trades": [bakery.pk],
            **token(),
        },
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fragen/{question.pk}/"
    assert (question.space, question.audience, question.asked_by) == (fachgruppe, fachgruppe, outsider)
    assert question.working_group == outsider.organisation_name
    assert list(question.trades.all()) == [bakery]
    page = client.get(response["Location"]).content.decode()
    assert "Wie gewinnen Bäckereien Quereinsteiger?" in page
    assert "<strong>AG Transfer</strong>" in page
    assert "Eingereicht" in page
    assert "Wie gewinnen Bäckereien Quereinsteiger?" in client.get("/fragen/").content.decode()


def test_the_intake_form_keeps_what_was_typed_when_something_is_missing(client, outsider, fachgruppe):
    client.force_login(outsider)

    response = client.post("/fragen/neu/", {"title": "Meine halbe Frage", "body": "", **token()})

    assert response.status_code == 200
    assert 'value="Meine halbe Frage"' in response.content.decode()
    assert "Bitte prüfen Sie die markierten Angaben." in response.content.decode()
    assert not Question.objects.exists()


def test_an_unconfirmed_address_cannot_ask(fachgruppe):
    unverified = UserFactory(verified_email=False)

    with pytest.raises(ValidationError, match="bestätigen Sie zuerst Ihre E-Mail-Adresse"):
        ask(unverified)


def test_the_coordination_hears_of_a_new_question_at_once(fachgruppe, coordinator, partner, outsider):
    ask(outsider)
    deliver_all()

    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert (
        message.subject
        == "[Fachgruppe Handwerk] Neue Frage an Fachgruppe Handwerk: Wie gewinnen Bäckereien Quereinsteiger?"
    )
    assert "Hintergrund der AG Transfer." in message.body
    assert set(Notification.objects.values_list("user_id", flat=True)) == {coordinator.pk}


def test_someone_else_outside_the_fachgruppe_gets_404_and_members_see_it(
    client, fachgruppe, outsider, partner
):
    question = ask(outsider)
    other_outsider = UserFactory()

    client.force_login(other_outsider)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert "Quereinsteiger" not in client.get("/fragen/").content.decode()
    client.force_login(partner)
    assert client.get(question.get_absolute_url()).status_code == 200


def test_accepting_assigns_a_member_opens_the_discussion_and_tells_the_asker(
    fachgruppe, coordinator, partner, outsider
):
    question = ask(outsider)

    question = questions.question_accept(question=question, by=coordinator, assignee=partner)
    deliver_all()

    assert question.status == Question.Status.ACCEPTED
    assert question.assignee == partner
    thread = Thread.objects.get(pk=question.thread_id)
    assert (thread.space, thread.audience, thread.title) == (fachgruppe, fachgruppe, question.title)
    assert f"@{partner.name}" in thread.posts.get().body
    told = {message.to[0]: message.subject for message in mail.outbox}
    assert told[outsider.email] == (
        "[Fachgruppe Handwerk] Ihre Frage „Wie gewinnen Bäckereien Quereinsteiger?“: angenommen"
    )
    assert Notification.objects.filter(user=partner, event__kind=Kind.MENTIONED).exists()


def test_the_asker_outside_the_ring_is_not_offered_the_members_discussion(
    client, fachgruppe, coordinator, partner, outsider
):
    question = questions.question_accept(question=ask(outsider), by=coordinator, assignee=partner)
    thread_url = question.thread.get_absolute_url()

    client.force_login(outsider)
    assert thread_url not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(partner)
    assert thread_url in client.get(question.get_absolute_url()).content.decode()


def test_only_a_member_of_the_fachgruppe_can_be_made_responsible(fachgruppe, coordinator, outsider):
    question = ask(outsider)

    with pytest.raises(ValidationError, match="Mitglied"):
        questions.question_accept(question=question, by=coordinator, assignee=UserFactory())

    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED
    assert not Thread.objects.exists()


def test_declining_needs_a_reason_and_keeps_the_question_open(client, fachgruppe, coordinator, outsider):
    question = ask(outsider)
    with pytest.raises(ValidationError, match="begründen"):
        questions.question_decline(question=question, by=coordinator, reason="  ")

    client.force_login(coordinator)
    response = client.post(question.get_absolute_url(), {"action": "decline", "decline-reason": ""})

    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED


def test_the_asker_reads_why_the_question_was_declined(client, fachgruppe, coordinator, outsider):
    question = ask(outsider)
    client.force_login(coordinator)

    response = client.post(
        question.get_absolute_url(),
        {"action": "decline", "decline-reason": "Das beantwortet die Kammer direkt."},
    )
    deliver_all()

    assert response.status_code == 302
    [message] = [m for m in mail.outbox if m.to == [outsider.email]]
    assert message.subject.endswith(": abgelehnt")
    assert "Das beantwortet die Kammer direkt." in message.body
    client.force_login(outsider)
    assert "Das beantwortet die Kammer direkt." in client.get(question.get_absolute_url()).content.decode()


def test_a_merged_question_points_its_asker_to_the_other_one(
    client, fachgruppe, coordinator, outsider, requester
):
    original = ask(requester, title="Quereinstieg in Bäckereien")
    duplicate = ask(outsider, title="Quereinsteiger für die Backstube?")
    client.force_login(coordinator)

    client.post(duplicate.get_absolute_url(), {"action": "merge", "merge-into": original.pk})
    deliver_all()

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Question.Status.MERGED, original)
    [message] = [m for m in mail.outbox if m.to == [outsider.email]]
    assert f"/fragen/{original.pk}/" in message.body
    client.force_login(outsider)
    # Not a member, yet the question theirs was folded into is now theirs to follow too.
    assert client.get(original.get_absolute_url()).status_code == 200
    assert "Quereinstieg in Bäckereien" in client.get(duplicate.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("decline", "accept"),
        ("decline", "merge"),
        ("merge", "decline"),
        ("accept", "decline"),
        ("accept", "merge"),
        ("accept", "accept"),
    ],
)
def test_a_decided_question_cannot_be_decided_again(first, then, fachgruppe, coordinator, partner, outsider):
    other = ask(partner, title="Eine andere Frage")
    steps = {
        "accept": lambda q: questions.question_accept(question=q, by=coordinator, assignee=partner),
        "decline": lambda q: questions.question_decline(question=q, by=coordinator, reason="Passt nicht."),
        "merge": lambda q: questions.question_merge(question=q, into=other, by=coordinator),
    }
    question = steps[first](ask(outsider))

    with pytest.raises(ValidationError, match="kann nicht"):
        steps[then](question)

    assert Question.objects.get(pk=question.pk).status == question.status


def test_a_question_is_only_answered_once_it_was_accepted(fachgruppe, coordinator, outsider):
    question = ask(outsider)

    with pytest.raises(ValidationError, match="kann nicht „Beantwortet“ werden"):
        questions.question_mark_answered(question=question, page=None, by=coordinator)
    with pytest.raises(ValidationError, match="angenommenen Frage"):
        information.information_draft_from_question(question=question, by=coordinator)


def test_a_question_cannot_be_merged_into_itself_or_a_declined_one(
    fachgruppe, coordinator, outsider, partner
):
    question = ask(outsider)
    declined = questions.question_decline(question=ask(partner), by=coordinator, reason="Doppelt.")

    with pytest.raises(ValidationError, match="mit sich selbst"):
        questions.question_merge(question=question, into=question, by=coordinator)
    with pytest.raises(ValidationError, match="Mit dieser Frage kann nicht"):
        questions.question_merge(question=question, into=declined, by=coordinator)


def test_members_who_do_not_coordinate_cannot_triage(client, fachgruppe, partner, inner_member, outsider):
    question = ask(outsider)
    with pytest.raises(PermissionDenied):
        questions.question_decline(question=question, by=partner, reason="Nein.")

    client.force_login(partner)
    response = client.post(
        question.get_absolute_url(), {"action": "accept", "accept-assignee": inner_member.pk}
    )

    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED


def test_the_triage_list_filters_by_status(client, fachgruppe, coordinator, partner, outsider):
    questions.question_decline(
        question=ask(partner, title="Abgelehnte Frage"), by=coordinator, reason="Doppelt."
    )
    ask(outsider, title="Offene Frage")
    client.force_login(coordinator)

    everything = client.get("/fragen/").content.decode()
    submitted = client.get("/fragen/?status=submitted").content.decode()

    assert "Eingegangene Fragen" in everything
    assert "Abgelehnte Frage" in everything
    assert "Offene Frage" in everything
    assert "Offene Frage" in submitted
    assert "Abgelehnte Frage" not in submitted


def test_my_questions_lists_only_my_own(client, fachgruppe, outsider, requester):
    ask(outsider, title="Frage von mir")
    ask(requester, title="Frage von jemand anderem")
    client.force_login(outsider)

    page = client.get("/fragen/").content.decode()

    assert "Meine Fragen" in page
    assert "Frage von mir" in page
    assert "Frage von jemand anderem" not in page


def test_the_question_lists_run_constant_queries(client, fachgruppe, coordinator, outsider):
    topic = Topic.objects.create(name="Nachfolge", slug="nachfolge")

    def grow():
        question = ask(outsider)
        question.topics.add(topic)
        question.trades.add(Trade.objects.get_or_create(name="Metallbau", slug="metallbau")[0])

    client.force_login(coordinator)
    assert_constant_queries(client, "/fragen/", grow=grow)
    client.force_login(outsider)
    assert_constant_queries(client, "/fragen/", grow=grow)
