import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

FOOTER_LINKS = (
    'href="/rechtliches/impressum/"',
    'href="/rechtliches/datenschutz/"',
    'href="/rechtliches/barrierefreiheit/"',
)


@pytest.fixture
def legal_dir(tmp_path, settings):
    settings.LEGAL_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize("slug", ["impressum", "datenschutz", "barrierefreiheit"])
def test_legal_page_shows_the_operators_markdown_as_html(client, legal_dir, slug):
    (legal_dir / f"{slug}.md").write_text(
        "## Angaben des Betreibers\n\nMusterverein e. V., **Musterstraße 1**\n", encoding="utf-8"
    )

    response = client.get(f"/rechtliches/{slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Angaben des Betreibers</h2>" in html
    assert "<strong>Musterstraße 1</strong>" in html


def test_legal_page_text_is_read_at_request_time(client, legal_dir):
    page = legal_dir / "impressum.md"
    page.write_text("Alte Anschrift", encoding="utf-8")
    client.get("/rechtliches/impressum/")
    page.write_text("Neue Anschrift", encoding="utf-8")

    html = client.get("/rechtliches/impressum/").content.decode()

    assert "Neue Anschrift" in html
    assert "Alte Anschrift" not in html


def test_html_in_the_legal_markdown_is_sanitised(client, legal_dir):
    (legal_dir / "datenschutz.md").write_text(
        'Text <script>alert("x")</script> <img src=x onerror="alert(1)"> '
        "[Link](javascript:alert(1)) [Aufsicht](https://www.bfdi.bund.de/)\n",
        encoding="utf-8",
    )

    html = client.get("/rechtliches/datenschutz/").content.decode()

    assert 'alert("x")' not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert 'href="https://www.bfdi.bund.de/"' in html


def test_english_visitors_get_the_english_text(client, legal_dir):
    (legal_dir / "impressum.md").write_text("Angaben gemäß § 5 DDG", encoding="utf-8")
    (legal_dir / "impressum.en.md").write_text("Information pursuant to Section 5 DDG", encoding="utf-8")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/rechtliches/impressum/").content.decode()

    assert "Information pursuant to Section 5 DDG" in html
    assert "Angaben gemäß" not in html


def test_english_visitors_get_the_german_text_when_no_translation_exists(client, legal_dir):
    (legal_dir / "barrierefreiheit.md").write_text("Stand der Vereinbarkeit", encoding="utf-8")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/rechtliches/barrierefreiheit/").content.decode()

    assert "Stand der Vereinbarkeit" in html


def test_a_missing_legal_text_says_so_instead_of_failing(client, legal_dir):
    response = client.get("/rechtliches/impressum/")

    assert response.status_code == 200
    assert "Der Betreiber hat diesen Text noch nicht hinterlegt." in response.content.decode()


def test_the_shipped_example_texts_are_marked_as_examples(client):
    html = client.get("/rechtliches/impressum/").content.decode()

    assert "Beispieltext" in html


def test_unknown_legal_page_is_not_found(client, legal_dir):
    (legal_dir / "agb.md").write_text("Allgemeine Geschäftsbedingungen", encoding="utf-8")

    response = client.get("/rechtliches/agb/")

    assert response.status_code == 404
    assert "Allgemeine Geschäftsbedingungen" not in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/", "/rechtliches/impressum/"])
def test_footer_links_the_legal_pages(client, url):
    html = client.get(url).content.decode()

    for link in FOOTER_LINKS:
        assert link in html, url


def test_not_found_page_has_the_footer(client):
    response = client.get("/gibt-es-nicht/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html
    for link in FOOTER_LINKS:
        assert link in html


def test_server_error_page_has_the_footer():
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in html
    for link in FOOTER_LINKS:
        assert link in html
