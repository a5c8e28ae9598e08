"""A creating form sent twice, or ten times at once, creates its object and its events once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from groups.models import Post, Question, Thread
from portal.models import FormSubmission
from portal.notifications.models import Event
from projects.models import Project
from tests.factories.groups import ThreadFactory

PARALLEL = 10


def _token_of(client, url: str) -> str:
    page = client.get(url).content.decode()
    return page.split('name="once" value="', 1)[1].split('"', 1)[0]


def _post_in_parallel(user, url: str, data: dict) -> list:
    """PARALLEL clients of the same person send the same form at the same moment."""
    start = threading.Barrier(PARALLEL)

    def send(_):
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            response = client.post(url, data)
            return response.status_code, response.get("Location")
        finally:
            connection.close()

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(send, range(PARALLEL)))


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_posts_of_a_new_thread_create_one_thread_and_one_round_of_events(
    client, partner, fachgruppe
):
    client.force_login(partner)
    url = f"/spaces/{fachgruppe.slug}/threads/new/"
    data = {"title": "Doppelklick", "body": "Einmal bitte.", "once": _token_of(client, url)}

    answers = _post_in_parallel(partner, url, data)

    thread = Thread.objects.get(space=fachgruppe)
    assert answers == [(302, thread.get_absolute_url())] * PARALLEL
    assert list(Event.objects.values_list("subject_id", flat=True)) == [thread.pk]


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_posts_of_a_question_create_one_question(client, outsider, fachgruppe):
    client.force_login(outsider)
    data = {"title": "Eine Frage", "body": "Nur einmal.", "once": _token_of(client, "/fragen/neu/")}

    answers = _post_in_parallel(outsider, "/fragen/neu/", data)

    question = Question.objects.get()
    assert answers == [(302, question.get_absolute_url())] * PARALLEL
    events = Event.objects.filter(subject_id=question.pk).values_list("kind", flat=True)
    assert len(events) == len(set(events))


def test_a_reply_sent_twice_is_posted_once_and_the_second_lands_on_it(client, partner, fachgruppe):
    thread = ThreadFactory(space=fachgruppe)
    client.force_login(partner)
    data = {"body": "Meine Antwort", "once": _token_of(client, thread.get_absolute_url())}

    first = client.post(thread.get_absolute_url(), data)
    second = client.post(thread.get_absolute_url(), data, follow=True)

    post = Post.objects.get(thread=thread, body="Meine Antwort")
    assert first["Location"] == f"{thread.get_absolute_url()}#post-{post.pk}"
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Dieses Formular wurde bereits abgeschickt; hier ist das Ergebnis." in second.content.decode()


def test_a_new_project_sent_twice_is_one_draft(client, partner):
    client.force_login(partner)
    data = {"title": "Praxistage", "once": _token_of(client, "/projects/neu/")}

    first = client.post("/projects/neu/", data)
    second = client.post("/projects/neu/", data)

    project = Project.objects.get()
    assert first["Location"] == second["Location"] == f"/projects/{project.slug}/bearbeiten/grunddaten/"


def test_a_form_without_its_token_comes_back_with_what_was_typed_and_a_fresh_token(
    client, partner, fachgruppe
):
    client.force_login(partner)

    response = client.post(f"/spaces/{fachgruppe.slug}/threads/new/", {"title": "Ohne", "body": "Mein Text"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Das Formular war unvollständig oder abgelaufen." in html
    assert "Mein Text" in html
    assert 'name="once" value="' in html
    assert not Thread.objects.exists()
    resent = client.post(
        f"/spaces/{fachgruppe.slug}/threads/new/",
        {
            "title": "Ohne",
            "body": "Mein Text",
            "once": html.split('name="once" value="', 1)[1].split('"', 1)[0],
        },
    )
    assert resent.status_code == 302
    assert Thread.objects.count() == 1


def test_someone_elses_token_creates_nothing(client, partner, inner_member, fachgruppe):
    client.force_login(inner_member)
    url = f"/spaces/{fachgruppe.slug}/threads/new/"
    token = _token_of(client, url)
    client.post(url, {"title": "Meins", "body": "Text", "once": token})
    client.force_login(partner)

    response = client.post(url, {"title": "Fremd", "body": "Text", "once": token})

    assert response.status_code == 200
    assert "Das Formular war unvollständig oder abgelaufen." in response.content.decode()
    assert list(Thread.objects.values_list("title", flat=True)) == ["Meins"]
    assert FormSubmission.objects.get(token=token).user == inner_member


def test_a_refused_reply_keeps_its_token_free_for_the_corrected_one(client, partner, fachgruppe):
    thread = ThreadFactory(space=fachgruppe)
    client.force_login(partner)
    token = _token_of(client, thread.get_absolute_url())

    assert client.post(thread.get_absolute_url(), {"body": "", "once": token}).status_code == 200
    assert client.post(thread.get_absolute_url(), {"body": "Jetzt richtig", "once": token}).status_code == 302
    assert Post.objects.filter(thread=thread, body="Jetzt richtig").count() == 1
