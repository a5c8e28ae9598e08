"""Property: whatever is created in the inner space stays invisible outside it.

Hypothesis invents inner content (threads, replies, documents, comments with
arbitrary text); for each person outside the inner ring every page they can
reach must look exactly as it did before: no title, no text, no count moved.
"""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groups import services
from groups.models import Document, Thread

OUTSIDE_ROLES = ["anonymous", "outsider", "requester", "partner"]

words = st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x24F), min_size=4, max_size=12)


def _pages(world) -> list[str]:
    fachgruppe, inner = world["fachgruppe"].slug, world["inner"].slug
    return [
        "/",
        "/spaces/",
        f"/spaces/{fachgruppe}/",
        f"/spaces/{fachgruppe}/threads/",
        f"/spaces/{fachgruppe}/documents/",
        f"/spaces/{fachgruppe}/members/",
        f"/spaces/{inner}/",
        f"/spaces/{inner}/threads/",
        f"/spaces/{inner}/documents/",
    ]


def _snapshot(client, world) -> dict[str, tuple[int, str]]:
    pages = {}
    for path in _pages(world):
        response = client.get(path)
        html = response.content.decode() if response.status_code == 200 else ""
        # Tokens and nonces change on every response; nothing else may.
        html = re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", html)
        pages[path] = (response.status_code, html)
    return pages


@pytest.fixture
def world(fachgruppe, inner, inner_member, partner):
    return {"fachgruppe": fachgruppe, "inner": inner, "inner_member": inner_member}


@pytest.mark.parametrize("person", OUTSIDE_ROLES, indirect=True)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=words, body=words, reply=words, with_document=st.booleans())
def test_inner_content_changes_nothing_outside(person, world, client, title, body, reply, with_document):
    if person.is_authenticated:
        client.force_login(person)
    before = _snapshot(client, world)
    inner, author = world["inner"], world["inner_member"]

    marker = f"innen-{uuid.uuid4().hex}"
    thread = services.thread_create(
        space=inner, author=author, title=f"{marker} {title}", body=f"{marker} {body}"
    )
    services.post_reply(thread=thread, author=author, body=reply)
    if with_document:
        document = services.document_create(
            space=inner,
            by=author,
            title=f"Innen {title}",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"),
        )
        services.document_comment(document=document, author=author, body=reply)
    try:
        after = _snapshot(client, world)
        for path, (status, html) in after.items():
            assert status == before[path][0], path
            assert html == before[path][1], f"{path} changed for someone outside the inner ring"
            assert marker not in html, path
    finally:
        Thread.objects.filter(space=inner).delete()
        Document.objects.filter(space=inner).delete()
