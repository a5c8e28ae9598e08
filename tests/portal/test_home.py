import pytest

pytestmark = pytest.mark.django_db


def test_start_page_is_german_and_shows_the_three_rings(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert response["Content-Language"] == "de"
    for ring in ("Öffentlichkeit", "Fachgruppe Handwerk", "Fachkräftezentren Handwerk"):
        assert ring in html
    assert "Nächste Termine" in html
    assert "Modellprojekte" in html


def test_start_page_footer_links_imprint_and_privacy_policy(client):
    html = client.get("/").content.decode()

    assert 'href="/rechtliches/impressum/"' in html
    assert 'href="/rechtliches/datenschutz/"' in html
