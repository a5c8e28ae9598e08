"""The portal-wide search ("Suche", /suche/): what a person may see and nothing else, ranked, marked,
narrowed by kind and space, page by page, with a constant number of queries."""

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import extraction, information, services
from groups.models import DocumentVersion, Membership, Post
from meetings.models import Decision, Minutes
from portal import celery as portal_celery
from portal import search as portal_search
from tests.factories import UserFactory, with_totp
from tests.factories.groups import QuestionFactory, ThreadFactory
from tests.factories.meetings import ActionItemFactory, AgendaItemFactory, HeldMeetingFactory, MeetingFactory
from tests.factories.projects import ProjectFactory, accepted, submitted
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

RARE = "Zinngießerei"


def _search(client, query: str, **params):
    response = client.get("/suche/", {"q": query, **params})
    assert response.status_code == 200
    return response


def _titles(response) -> list[str]:
    return [hit.title for hit in response.context["result"].hits]


def _facets(response, name: str) -> dict[str, int]:
    return {facet.label: facet.count for facet in getattr(response.context["result"], name)}


def test_partner_finds_the_fachgruppe_thread_but_nothing_of_the_inner_circle(
    client, fachgruppe, inner, partner
):
    ThreadFactory(space=fachgruppe, title="Praxistage in der Zinngießerei")
    ThreadFactory(space=inner, title="Innen: Zinngießerei im Verbund", opening_post="Zinngießerei geheim")
    inner_thread = ThreadFactory(space=inner, title="Nur der Beitrag")
    Post.objects.create(thread=inner_thread, body="Auch hier eine Zinngießerei.")
    client.force_login(partner)

    response = _search(client, RARE)

    assert _titles(response) == ["Praxistage in der Zinngießerei"]
    assert _facets(response, "kinds") == {"Diskussionen": 1}
    assert _facets(response, "spaces") == {"Fachgruppe Handwerk": 1}
    assert "Innen" not in response.content.decode()
    assert "geheim" not in response.content.decode()


def test_inner_member_finds_a_thread_once_by_its_title_and_its_posts(client, inner, inner_member):
    thread = ThreadFactory(
        space=inner, title="Zinngießerei im Verbund", opening_post="Die Zinngießerei lädt ein."
    )
    Post.objects.create(thread=thread, body="Noch einmal die Zinngießerei.")
    client.force_login(inner_member)

    response = _search(client, RARE)

    assert _titles(response) == ["Zinngießerei im Verbund"]
    assert response.context["result"].hits[0].url == thread.get_absolute_url()
    assert _facets(response, "spaces") == {"Fachkräftezentren Handwerk": 1}


def test_german_words_are_stemmed_and_matched_as_prefixes(client, fachgruppe, partner):
    ThreadFactory(space=fachgruppe, title="Gemeinsame Ausbildungen", opening_post="Kurz.")
    ThreadFactory(space=fachgruppe, title="Der Handwerksbetrieb von morgen", opening_post="Kurz.")
    client.force_login(partner)

    assert _titles(_search(client, "Ausbildung")) == ["Gemeinsame Ausbildungen"]
    assert _titles(_search(client, "Handwerk")) == ["Der Handwerksbetrieb von morgen"]
    assert _titles(_search(client, "gemeinsam ausbildungen")) == ["Gemeinsame Ausbildungen"]


def test_a_project_is_found_by_a_word_inside_a_compound(client, coordinator):
    accepted(ProjectFactory(title="Nachwuchs im Bäckerhandwerk"), by=coordinator)

    assert _titles(_search(client, "handwerk")) == ["Nachwuchs im Bäckerhandwerk"]


def test_better_hits_come_first(client, fachgruppe, partner):
    ThreadFactory(
        space=fachgruppe, title="Allerlei", opening_post="Am Rande ging es auch um Energieberatung."
    )
    ThreadFactory(space=fachgruppe, title="Energieberatung", opening_post="Energieberatung für Betriebe.")
    client.force_login(partner)

    titles = _titles(_search(client, "Energieberatung"))

    if connection.vendor == "postgresql":
        assert titles == ["Energieberatung", "Allerlei"]
    else:
        assert sorted(titles) == ["Allerlei", "Energieberatung"]


def test_snippets_mark_the_words_and_escape_everything_else(client, fachgruppe, partner):
    ThreadFactory(
        space=fachgruppe,
        title="Markup",
        opening_post='<script>alert(1)</script> Preis 1 < 2 & "3" in der <b>Zinngießerei</b> am Montag.',
    )
    client.force_login(partner)

    html = _search(client, RARE).content.decode()
    snippet = re.search(r'<p class="mb-0 search-snippet">(.*?)</p>', html).group(1)

    assert "<script>" not in html
    assert "<b>" not in snippet
    assert "1 &lt; 2 &amp; &quot;3&quot;" in snippet
    assert "<mark>Zinngießerei</mark>" in snippet


def test_snippets_show_the_words_of_markdown_not_its_syntax(client, fachgruppe, partner):
    ThreadFactory(
        space=fachgruppe,
        title="Leitfaden",
        opening_post="## Worum es geht\n\nDie **Zinngießerei** für [alle Mitarbeiter*innen](https://example.org/x).",
    )
    client.force_login(partner)

    html = _search(client, RARE).content.decode()
    snippet = re.search(r'<p class="mb-0 search-snippet">(.*?)</p>', html).group(1)

    assert "Worum es geht Die <mark>Zinngießerei</mark> für alle Mitarbeiter*innen" in snippet
    assert "#" not in snippet
    assert "example.org" not in snippet


def test_draft_minutes_their_decisions_and_tasks_are_found_by_coordinators_only(
    client, fachgruppe, partner, fachgruppe_coordinator
):
    meeting = HeldMeetingFactory(space=fachgruppe, title="Herbsttreffen")
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.DRAFT)
    item = AgendaItemFactory(
        meeting=meeting, title="Bericht", discussion="Die Zinngießerei stellte sich vor."
    )
    Decision.objects.create(agenda_item=item, text="Die Zinngießerei wird eingeladen.")
    ActionItemFactory(meeting=meeting, agenda_item=item, title="Zinngießerei anschreiben")

    client.force_login(partner)
    assert _titles(_search(client, RARE)) == []
    client.force_login(fachgruppe_coordinator)
    response = _search(client, RARE)
    assert _facets(response, "kinds") == {"Protokolle": 1, "Beschlüsse": 1, "Aufgaben": 1}
    assert {hit.note for hit in response.context["result"].hits} == {"Entwurf"}

    Minutes.objects.filter(meeting=meeting).update(status=Minutes.Status.PUBLISHED)
    client.force_login(partner)
    response = _search(client, RARE)
    assert _facets(response, "kinds") == {"Protokolle": 1, "Beschlüsse": 1, "Aufgaben": 1}
    assert {hit.url for hit in response.context["result"].hits} == {meeting.get_absolute_url()}


def test_meetings_are_found_by_their_agenda(client, fachgruppe, inner, partner):
    meeting = MeetingFactory(space=fachgruppe, title="Fachgruppentreffen im Mai")
    AgendaItemFactory(meeting=meeting, title="Besuch einer Zinngießerei")
    inner_meeting = MeetingFactory(space=inner, title="Innen-Sitzung")
    AgendaItemFactory(meeting=inner_meeting, title="Zinngießerei intern")
    client.force_login(partner)

    response = _search(client, RARE)

    assert _titles(response) == ["Fachgruppentreffen im Mai"]
    assert _facets(response, "kinds") == {"Sitzungen": 1}


@pytest.mark.parametrize("recent_rows", [portal_search.RECENT_ROWS, 1])
def test_two_words_find_the_rows_that_hold_both_and_only_those_the_person_may_see(
    client, fachgruppe, inner, partner, monkeypatch, recent_rows
):
    # With one recent row, the row holding both words is among the older ones (read through the indexes).
    monkeypatch.setattr(portal_search, "RECENT_ROWS", recent_rows)
    both = MeetingFactory(space=fachgruppe, title="Fachgruppentreffen im März")
    AgendaItemFactory(meeting=both, title="Die Handwerkskammer berät die Betriebe")
    inner_meeting = MeetingFactory(space=inner, title="Innen-Sitzung")
    AgendaItemFactory(meeting=inner_meeting, title="Handwerkskammer und Betriebe intern")
    apart = MeetingFactory(space=fachgruppe, title="Fachgruppentreffen im Mai")
    AgendaItemFactory(meeting=apart, title="Die Handwerkskammer berät")
    AgendaItemFactory(meeting=apart, title="Betriebe bilden aus")
    client.force_login(partner)

    response = _search(client, "Handwerkskammer Betriebe")

    assert _titles(response) == ["Fachgruppentreffen im März"]
    assert _facets(response, "kinds") == {"Sitzungen": 1}
    assert _facets(response, "spaces") == {"Fachgruppe Handwerk": 1}


def test_information_drafts_are_found_by_their_ring_only(client, fachgruppe, inner, partner, inner_member):
    information.information_draft_create(
        space=inner, by=inner_member, title="Entwurf zur Zinngießerei", summary="Kurz.", body="Text."
    )
    client.force_login(partner)
    assert _titles(_search(client, RARE)) == []
    client.force_login(inner_member)
    response = _search(client, RARE)
    assert _titles(response) == ["Entwurf zur Zinngießerei"]
    assert response.context["result"].hits[0].note == "Entwurf"


def test_projects_under_review_are_found_by_coordinators_and_their_submitter(
    client, partner, fachgruppe_coordinator, coordinator
):
    submitter = UserFactory()
    submitted(ProjectFactory(title="Zinngießerei im Verbund", submitted_by=submitter))
    accepted(ProjectFactory(title="Zinngießerei öffentlich"), by=coordinator)

    assert _titles(_search(client, RARE)) == ["Zinngießerei öffentlich"]
    client.force_login(partner)
    assert _titles(_search(client, RARE)) == ["Zinngießerei öffentlich"]
    client.force_login(fachgruppe_coordinator)
    assert sorted(_titles(_search(client, RARE))) == ["Zinngießerei im Verbund", "Zinngießerei öffentlich"]
    client.force_login(submitter)
    assert sorted(_titles(_search(client, RARE))) == ["Zinngießerei im Verbund", "Zinngießerei öffentlich"]


def test_questions_are_found_by_those_who_may_see_them(client, fachgruppe, outsider, partner):
    QuestionFactory(space=fachgruppe, title="Wer kennt eine Zinngießerei?", asked_by=outsider)
    other = UserFactory()

    client.force_login(partner)
    assert _titles(_search(client, RARE)) == ["Wer kennt eine Zinngießerei?"]
    client.force_login(outsider)
    assert _titles(_search(client, RARE)) == ["Wer kennt eine Zinngießerei?"]
    client.force_login(other)
    assert _titles(_search(client, RARE)) == []


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p><w:p><w:r><w:t>Zweiter Absatz</w:t></w:r></w:p>"
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def _odt(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
            f"<text:h>Titel</text:h><text:p>Ein <text:span>{text}</text:span> Absatz</text:p>"
            "</office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


def test_the_text_of_pdf_docx_and_odt_files_is_read():
    assert "Zinngießerei" in extraction.text_of(
        io.BytesIO(_pdf("Die Zinngießerei")), content_type="application/pdf"
    )
    docx = extraction.text_of(
        io.BytesIO(_docx("Die Zinngießerei")),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert docx.split("\n")[:2] == ["Die Zinngießerei", "Zweiter Absatz"]
    odt = extraction.text_of(
        io.BytesIO(_odt("Zinngießerei")), content_type="application/vnd.oasis.opendocument.text"
    )
    assert "Titel" in odt
    assert "Ein Zinngießerei Absatz" in odt


def test_an_uploaded_pdf_is_found_by_its_text_once_the_task_has_read_it(
    client, fachgruppe, partner, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(portal_celery.app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_create(
            space=fachgruppe,
            by=partner,
            title="Konzept",
            upload=SimpleUploadedFile(
                "konzept.pdf", _pdf("Besuch der Zinngießerei im Juni"), "application/pdf"
            ),
        )
    version = DocumentVersion.objects.get(document=document)
    assert "Zinngießerei" in version.extracted_text
    client.force_login(partner)

    response = _search(client, RARE)

    assert _titles(response) == ["Konzept"]
    assert "<mark>Zinngießerei</mark>" in response.content.decode()


def test_a_damaged_file_has_no_text_and_the_upload_stands(fachgruppe, partner):
    document = services.document_create(
        space=fachgruppe, by=partner, title="Kaputt", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF")
    )
    version = document.versions.get()

    assert extraction.version_text_extract(version_id=version.pk) is True
    version.refresh_from_db()
    assert version.extracted_text == ""
    assert version.text_extracted_at is not None
    assert extraction.version_text_extract(version_id=version.pk) is False


def test_documents_are_found_by_their_comments(client, fachgruppe, inner, partner, inner_member):
    document = services.document_create(
        space=fachgruppe,
        by=partner,
        title="Konzeptpapier",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"),
    )
    services.document_comment(document=document, author=partner, body="Bitte die Zinngießerei ergänzen.")
    hidden = services.document_create(
        space=inner, by=inner_member, title="Innen", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF")
    )
    services.document_comment(document=hidden, author=inner_member, body="Zinngießerei intern.")
    client.force_login(partner)

    response = _search(client, RARE)

    assert _titles(response) == ["Konzeptpapier"]
    assert _facets(response, "kinds") == {"Dokumente": 1}


COMPOUND_PART = "Handwerk"


def test_a_word_inside_a_compound_of_a_post_is_found_where_the_post_may_be_seen(
    client, fachgruppe, inner, partner, inner_member
):
    thread = ThreadFactory(space=fachgruppe, title="Praxistage", opening_post="Kurz.")
    Post.objects.create(thread=thread, body="Nachwuchs im Bäckerhandwerk gesucht.")
    ThreadFactory(space=inner, title="Innen", opening_post="Das Geheimrezept im Bäckerhandwerk.")

    client.force_login(partner)
    partner_sees = _search(client, COMPOUND_PART)
    client.force_login(inner_member)
    inner_sees = _search(client, COMPOUND_PART)

    assert _titles(partner_sees) == ["Praxistage"]
    assert _facets(partner_sees, "kinds") == {"Diskussionen": 1}
    assert _facets(partner_sees, "spaces") == {"Fachgruppe Handwerk": 1}
    assert "Geheimrezept" not in partner_sees.content.decode()
    assert sorted(_titles(inner_sees)) == ["Innen", "Praxistage"]
    assert _facets(inner_sees, "kinds") == {"Diskussionen": 2}
    assert _facets(inner_sees, "spaces") == {"Fachkräftezentren Handwerk": 1, "Fachgruppe Handwerk": 1}


def test_a_word_inside_a_compound_of_a_comment_is_found_where_the_document_may_be_seen(
    client, fachgruppe, inner, partner, inner_member
):
    document = services.document_create(
        space=fachgruppe,
        by=partner,
        title="Konzeptpapier",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"),
    )
    services.document_comment(document=document, author=partner, body="Bitte das Bäckerhandwerk ergänzen.")
    hidden = services.document_create(
        space=inner, by=inner_member, title="Innen", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF")
    )
    services.document_comment(
        document=hidden, author=inner_member, body="Das Geheimrezept im Bäckerhandwerk."
    )

    client.force_login(partner)
    partner_sees = _search(client, COMPOUND_PART)
    client.force_login(inner_member)
    inner_sees = _search(client, COMPOUND_PART)

    assert _titles(partner_sees) == ["Konzeptpapier"]
    assert _facets(partner_sees, "kinds") == {"Dokumente": 1}
    assert _facets(partner_sees, "spaces") == {"Fachgruppe Handwerk": 1}
    assert "Geheimrezept" not in partner_sees.content.decode()
    assert sorted(_titles(inner_sees)) == ["Innen", "Konzeptpapier"]
    assert _facets(inner_sees, "kinds") == {"Dokumente": 2}


def test_facets_narrow_by_kind_and_space_and_count_what_the_other_filter_leaves(
    client, fachgruppe, inner, inner_member
):
    ThreadFactory(space=fachgruppe, title="Zinngießerei außen")
    ThreadFactory(space=inner, title="Zinngießerei innen")
    MeetingFactory(space=inner, title="Sitzung zur Zinngießerei")
    client.force_login(inner_member)

    everything = _search(client, RARE)
    assert _facets(everything, "kinds") == {"Diskussionen": 2, "Sitzungen": 1}
    assert _facets(everything, "spaces") == {"Fachkräftezentren Handwerk": 2, "Fachgruppe Handwerk": 1}

    threads = _search(client, RARE, art="diskussionen")
    assert sorted(_titles(threads)) == ["Zinngießerei außen", "Zinngießerei innen"]
    assert _facets(threads, "spaces") == {"Fachkräftezentren Handwerk": 1, "Fachgruppe Handwerk": 1}

    inner_threads = _search(client, RARE, art="diskussionen", raum=inner.slug)
    assert _titles(inner_threads) == ["Zinngießerei innen"]
    assert _facets(inner_threads, "kinds") == {"Diskussionen": 1, "Sitzungen": 1}


def test_an_unknown_kind_or_space_narrows_nothing(client, fachgruppe, partner):
    ThreadFactory(space=fachgruppe, title="Zinngießerei")
    client.force_login(partner)

    assert _titles(_search(client, RARE, art="geheim", raum="gibt-es-nicht")) == ["Zinngießerei"]


def test_hits_come_page_by_page(client, fachgruppe, partner):
    for n in range(portal_search.PAGE_SIZE + 3):
        ThreadFactory(space=fachgruppe, title=f"Zinngießerei {n}")
    client.force_login(partner)

    first = _search(client, RARE)
    second = _search(client, RARE, seite=2)

    assert len(first.context["result"].hits) == portal_search.PAGE_SIZE
    assert len(second.context["result"].hits) == 3
    assert first.context["result"].total == portal_search.PAGE_SIZE + 3
    assert not set(_titles(first)) & set(_titles(second))
    assert 'rel="next"' in first.content.decode()
    assert client.get("/suche/", {"q": RARE, "seite": 3}).status_code == 404
    assert client.get("/suche/", {"q": RARE, "seite": "x"}).status_code == 404


def test_a_common_word_counts_as_more_than_the_candidates(client, fachgruppe, partner, monkeypatch):
    monkeypatch.setattr(portal_search, "CANDIDATES", 3)
    for n in range(5):
        ThreadFactory(space=fachgruppe, title=f"Zinngießerei {n}")
    client.force_login(partner)

    response = _search(client, RARE)

    assert response.context["result"].capped
    assert "Mehr als 3 Treffer" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["a", " ", "*", "&|!():*", "-", '"', "or", "x" * 500, "Zinn:* & !", "<mark>"]
)
def test_odd_input_answers_a_page_never_an_error(client, partner, query):
    client.force_login(partner)

    response = client.get("/suche/", {"q": query})

    assert response.status_code == 200


def test_a_too_short_query_says_so_and_keeps_what_was_typed(client):
    response = _search(client, "a")

    html = response.content.decode()
    assert "Bitte geben Sie mindestens zwei Zeichen ein." in html
    assert 'value="a"' in html


def test_every_page_has_a_search_field_in_the_header_that_works_without_javascript(client):
    html = client.get("/").content.decode()

    assert re.search(r'<form class="site-search" method="get" action="/suche/" role="search"', html)
    assert 'name="q"' in html


def test_the_search_page_costs_the_same_number_of_queries_for_one_or_three_hits_of_every_kind(
    client, fachgruppe, inner_member, coordinator, monkeypatch
):
    # Every hit on one page: the rows of a page are read with one query per source among them, so
    # a page that shows fewer sources costs less (at most 2 queries per source; see the next test).
    monkeypatch.setattr(portal_search, "PAGE_SIZE", 100)
    Membership.objects.filter(user=inner_member).update(role=Membership.Role.COORDINATOR)
    client.force_login(with_totp(inner_member))

    def grow():
        thread = ThreadFactory(space=fachgruppe, title="Zinngießerei", opening_post="Zinngießerei")
        Post.objects.create(thread=thread, body="Zinngießerei")
        document = services.document_create(
            space=fachgruppe,
            by=inner_member,
            title="Zinngießerei",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"),
        )
        services.document_comment(document=document, author=inner_member, body="Zinngießerei")
        meeting = HeldMeetingFactory(space=fachgruppe, title="Zinngießerei")
        Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED)
        item = AgendaItemFactory(meeting=meeting, title="Zinngießerei", discussion="Zinngießerei")
        Decision.objects.create(agenda_item=item, text="Zinngießerei")
        ActionItemFactory(meeting=meeting, title="Zinngießerei")
        QuestionFactory(space=fachgruppe, title="Zinngießerei?")
        information.information_draft_create(
            space=fachgruppe,
            by=inner_member,
            title="Zinngießerei",
            summary="Zinngießerei",
            body="Zinngießerei",
        )
        accepted(ProjectFactory(title="Zinngießerei"), by=coordinator)

    queries = assert_constant_queries(client, f"/suche/?q={RARE}", grow=grow)
    sources = 13
    assert queries <= 2 * sources + 10


def test_the_queries_of_a_search_are_bounded_by_its_sources_not_its_hits(client, fachgruppe, partner):
    for n in range(3 * portal_search.PAGE_SIZE):
        ThreadFactory(space=fachgruppe, title=f"Zinngießerei {n}")
    client.force_login(partner)
    _search(client, RARE)

    with CaptureQueriesContext(connection) as captured:
        _search(client, RARE, seite=2)

    sources = 13
    assert len(captured.captured_queries) <= sources + 1 + 10


def test_a_search_kept_compiled_for_one_standing_never_serves_another(client, fachgruppe, inner, partner):
    ThreadFactory(space=fachgruppe, title="Praxistage in der Zinngießerei")
    ThreadFactory(space=inner, title="Innen: Zinngießerei im Verbund")
    inner_member = UserFactory()
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=inner_member)

    client.force_login(inner_member)
    inner_titles = sorted(_titles(_search(client, RARE)))
    client.force_login(partner)
    partner_titles = _titles(_search(client, RARE))
    Membership.objects.create(space=inner, user=partner)
    joined_titles = sorted(_titles(_search(client, RARE)))
    Membership.objects.filter(space=inner, user=partner).delete()
    left_titles = _titles(_search(client, RARE))

    assert inner_titles == ["Innen: Zinngießerei im Verbund", "Praxistage in der Zinngießerei"]
    assert partner_titles == ["Praxistage in der Zinngießerei"]
    assert joined_titles == inner_titles
    assert left_titles == ["Praxistage in der Zinngießerei"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement exists on PostgreSQL only")
@pytest.mark.parametrize(
    "query",
    [RARE, "Ausbildung Werkstatt", "handwerk", '"kleine Betriebe"', "Innung -Meister", "ab", "50%_a\\b"],
)
def test_the_statement_kept_for_a_shape_is_the_one_compiled_afresh(query, partner, coordinator):
    for person in (AnonymousUser(), partner, coordinator):
        standing = portal_search._Standing.of(person)
        sources = portal_search._sources_of(standing)
        search_query = portal_search._query(query)
        parts = [
            portal_search._candidate_rows(source, index, query=query, search_query=search_query)
            for index, source in enumerate(sources)
        ]
        sql, params = parts[0].union(*parts[1:], all=True).order_by().query.sql_with_params()

        first = portal_search._candidate_statement(sources, standing=standing, query=query)
        kept = portal_search._candidate_statement(sources, standing=standing, query=query)

        assert first == kept == (sql, tuple(params))
