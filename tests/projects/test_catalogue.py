"""The showcase catalogue: accepted projects only, filters, search, order, pages, and the start page."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from groups.models import Membership, Organisation
from projects import catalogue
from projects.catalogue import CatalogueFilter, Sort
from projects.models import Project
from tests.factories import UserFactory, with_totp
from tests.factories.groups import OrganisationFactory
from tests.factories.projects import FundingProgrammeFactory, ProjectFactory, reviewed, submitted
from tests.projects.showcase import picture, showcased, topic, trade
from tests.querycount import assert_constant_queries

HIDDEN_STATES = [
    Project.Status.DRAFT,
    Project.Status.SUBMITTED,
    Project.Status.IN_REVIEW,
    Project.Status.RETURNED,
    Project.Status.DECLINED,
]


def titles(response) -> list[str]:
    """The card titles of the list, in order."""
    assert response.status_code == 200
    return re.findall(r'<h3 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def unpublished(fachgruppe, coordinator, partner):
    """One project in every state before acceptance, submitted by the partner."""
    projects = []
    for status in HIDDEN_STATES:
        project = ProjectFactory(title=f"Verborgen {status}", submitted_by=partner)
        if status != Project.Status.DRAFT:
            submitted(project)
        if status == Project.Status.IN_REVIEW:
            reviewed(project, by=coordinator)
        Project.objects.filter(pk=project.pk).update(status=status)
        projects.append(project)
    return projects


# --- What appears ---------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "partner", "coordinator", "staff"])
def test_only_accepted_projects_appear_in_the_list_whoever_looks(
    role, client, coordinator, unpublished, request
):
    showcased(coordinator, title="Ausbildungsverbund Tischlerei")
    if role != "anonymous":
        person = request.getfixturevalue("staff_member" if role == "staff" else role)
        client.force_login(person)

    assert titles(client.get("/projects/")) == ["Ausbildungsverbund Tischlerei"]


def test_coordinators_who_may_see_drafts_still_get_only_accepted_ones_from_the_catalogue(
    coordinator, unpublished
):
    accepted = showcased(coordinator)

    assert list(catalogue.catalogue(coordinator)) == [accepted]
    assert list(catalogue.catalogue(AnonymousUser())) == [accepted]


def test_an_accepted_project_still_follows_its_ring(client, coordinator, inner, inner_member, partner):
    """Planted: accepted but with the inner ring as audience. Only people inside that ring see it."""
    project = showcased(coordinator, title="Nur im inneren Kreis")
    Project.objects.filter(pk=project.pk).update(audience=inner)

    assert titles(client.get("/projects/")) == []
    client.force_login(partner)
    assert titles(client.get("/projects/")) == []
    assert "Nur im inneren Kreis" not in client.get("/").content.decode()
    client.force_login(inner_member)
    assert titles(client.get("/projects/")) == ["Nur im inneren Kreis"]


def test_a_card_shows_picture_organisation_region_period_and_vocabularies(client, coordinator):
    organisation = OrganisationFactory(name="Handwerkskammer Münster")
    project = showcased(
        coordinator,
        title="Praxistage im Verbund",
        summary="Betriebe teilen sich Praxistage.",
        organisation=organisation,
        region="NW",
        starts_on=datetime.date(2025, 3, 1),
        ends_on=datetime.date(2026, 12, 31),
        trades=[trade("Tischlerhandwerk", "tischlerhandwerk")],
        topics=[topic("Ausbildung", "ausbildung")],
    )
    image = picture(project, alt_text="Zwei Auszubildende an der Hobelbank")

    html = client.get("/projects/").content.decode()

    assert f'src="/projects/{project.slug}/bilder/{image.pk}/vorschau/"' in html
    assert 'alt="Zwei Auszubildende an der Hobelbank"' in html
    assert f'<a href="/projects/{project.slug}/">Praxistage im Verbund</a>' in html
    for text in (
        "Handwerkskammer Münster",
        "Nordrhein-Westfalen",
        "März 2025 bis Dezember 2026",
        "Betriebe teilen sich Praxistage.",
        '<span class="badge text-bg-light border">Tischlerhandwerk</span>',
        '<span class="badge text-bg-info">Ausbildung</span>',
    ):
        assert text in html, text


def test_the_count_and_the_empty_states(client, coordinator):
    assert "Noch sind keine Modellprojekte vorgestellt." in client.get("/projects/").content.decode()

    showcased(coordinator, region="NW")
    assert "1 Projekt</h2>" in client.get("/projects/").content.decode()
    showcased(coordinator, region="NW")
    assert "2 Projekte</h2>" in client.get("/projects/").content.decode()

    html = client.get("/projects/", {"region": "BY"}).content.decode()
    assert "0 Projekte</h2>" in html
    assert "Zu dieser Auswahl gibt es keine Modellprojekte." in html


# --- Filters ---------------------------------------------------------------


def _pair(coordinator, field: str):
    """Two accepted projects that differ only in `field`; returns (GET parameters, wanted title)."""
    bakery, joinery = trade("Bäckerhandwerk", "baeckerhandwerk"), trade("Tischlerhandwerk", "tischler")
    skills, safety = topic("Fachkräftesicherung", "fachkraefte"), topic("Arbeitsschutz", "arbeitsschutz")
    programme, other = FundingProgrammeFactory(name="ESF Plus"), FundingProgrammeFactory(name="JOBSTARTER")
    common = {"trades": [joinery], "topics": [safety], "region": "NW", "funding_programme": other}
    wanted = {
        "gewerk": ({"trades": [bakery]}, {"gewerk": "baeckerhandwerk"}),
        "thema": ({"topics": [skills]}, {"thema": "fachkraefte"}),
        "region": ({"region": "BY"}, {"region": "BY"}),
        "foerderprogramm": ({"funding_programme": programme}, {"foerderprogramm": programme.slug}),
        "organisationsart": (
            {"organisation": OrganisationFactory(kind=Organisation.Kind.GUILD)},
            {"organisationsart": "guild"},
        ),
    }[field]
    showcased(coordinator, title="Das gesuchte Projekt", **{**common, **wanted[0]})
    showcased(coordinator, title="Ein anderes Projekt", **common)
    return wanted[1]


@pytest.mark.parametrize("field", ["gewerk", "thema", "region", "foerderprogramm", "organisationsart"])
def test_each_filter_narrows_the_list(field, client, coordinator):
    params = _pair(coordinator, field)

    assert sorted(titles(client.get("/projects/"))) == ["Das gesuchte Projekt", "Ein anderes Projekt"]
    assert titles(client.get("/projects/", params)) == ["Das gesuchte Projekt"]


def test_filters_combine(client, coordinator):
    bakery = trade("Bäckerhandwerk", "baeckerhandwerk")
    showcased(coordinator, title="Backen in Bayern", trades=[bakery], region="BY")
    showcased(coordinator, title="Backen am Rhein", trades=[bakery], region="NW")
    showcased(coordinator, title="Tischlern in Bayern", region="BY")

    assert titles(client.get("/projects/", {"gewerk": "baeckerhandwerk", "region": "BY"})) == [
        "Backen in Bayern"
    ]


def test_unknown_filter_values_are_reported_and_the_valid_ones_still_apply(client, coordinator):
    showcased(coordinator, title="In Bayern", region="BY")
    showcased(coordinator, title="Am Rhein", region="NW")

    response = client.get("/projects/", {"gewerk": "gibt-es-nicht", "region": "BY", "organisationsart": "x"})

    html = response.content.decode()
    assert titles(response) == ["In Bayern"]
    assert (
        "Diese Filter haben einen unbekannten Wert und sind nicht angewendet: Gewerk, Art der Organisation."
        in html
    )


def test_the_filter_form_works_without_javascript_and_is_labelled(client, coordinator):
    html = client.get("/projects/", {"region": "BY", "q": "Holz"}).content.decode()

    assert '<form method="get" action="/projects/" role="search"' in html
    for name, label in [
        ("q", "Suche"),
        ("gewerk", "Gewerk"),
        ("thema", "Thema"),
        ("region", "Region"),
        ("foerderprogramm", "Förderprogramm"),
        ("organisationsart", "Art der Organisation"),
        ("sortierung", "Sortierung"),
    ]:
        assert f'<label class="form-label" for="id_{name}">{label}</label>' in html, name
    assert '<option value="BY" selected>Bayern</option>' in html
    assert 'value="Holz"' in html
    assert '<a href="/projects/">Filter zurücksetzen</a>' in html


# --- Search ------------------------------------------------------------------


def test_search_finds_words_in_title_summary_and_description(client, coordinator):
    showcased(coordinator, title="Gemeinsam ausbilden", summary="Praxistage in der Backstube.")
    showcased(coordinator, title="Digitale Werkstatt", description="Tablets in der Backstube der Innung.")
    showcased(coordinator, title="Energieberatung", summary="Dämmung und Heizung.")

    assert sorted(titles(client.get("/projects/", {"q": "Backstube"}))) == [
        "Digitale Werkstatt",
        "Gemeinsam ausbilden",
    ]
    assert titles(client.get("/projects/", {"q": "Backstube Tablets"})) == ["Digitale Werkstatt"]
    assert titles(client.get("/projects/", {"q": "Werkstatt"})) == ["Digitale Werkstatt"]
    assert titles(client.get("/projects/", {"q": "Zimmerei"})) == []


def test_search_finds_a_word_inside_a_compound(client, coordinator):
    showcased(coordinator, title="Energieberatung im Bäckerhandwerk")
    showcased(coordinator, title="Quereinstieg ins Handwerk")

    assert sorted(titles(client.get("/projects/", {"q": "handwerk"}))) == [
        "Energieberatung im Bäckerhandwerk",
        "Quereinstieg ins Handwerk",
    ]


def test_a_word_inside_a_compound_is_found_in_each_field_but_never_across_two(client, coordinator):
    showcased(coordinator, title="Quereinstieg ins Bäckerhandwerk", summary="Zwei Jahre.")
    showcased(coordinator, title="Digitale Werkstatt", summary="Tablets im Zimmererhandwerk.")
    showcased(coordinator, title="Energieberatung", description="Beraten im Dachdeckerhandwerk.")
    showcased(
        coordinator,
        title="Gemeinsam mit dem Bäcker",
        summary="Handwerksbetriebe bilden Maler",
        description="meister aus.",
    )

    assert sorted(titles(client.get("/projects/", {"q": "HANDWERK"}))) == [
        "Digitale Werkstatt",
        "Energieberatung",
        "Gemeinsam mit dem Bäcker",
        "Quereinstieg ins Bäckerhandwerk",
    ]
    assert titles(client.get("/projects/", {"q": "deckerhand"})) == ["Energieberatung"]
    # "Bäcker" ends a title and "Handwerks…" opens its summary, "Maler" ends that summary and
    # "meister" opens the description: neither is one word.
    assert titles(client.get("/projects/", {"q": "Bäckerhandwerksbetriebe"})) == []
    assert titles(client.get("/projects/", {"q": "Malermeister"})) == []
    assert titles(client.get("/projects/", {"q": "Bäckerhandwerk"})) == ["Quereinstieg ins Bäckerhandwerk"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL's full-text search")
def test_whole_word_hits_rank_before_hits_inside_a_compound(client, coordinator):
    showcased(coordinator, title="Energieberatung im Bäckerhandwerk", accepted_days_ago=1)
    showcased(coordinator, title="Quereinstieg ins Handwerk", accepted_days_ago=9)

    assert titles(client.get("/projects/", {"q": "Handwerk"})) == [
        "Quereinstieg ins Handwerk",
        "Energieberatung im Bäckerhandwerk",
    ]


def test_search_never_finds_hidden_projects(client, coordinator, partner, unpublished):
    client.force_login(coordinator)

    assert titles(client.get("/projects/", {"q": "Verborgen"})) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming needs PostgreSQL's German configuration"
)
def test_german_stemming_finds_other_forms_of_a_word(client, coordinator):
    showcased(coordinator, title="Ausbildung im Verbund", summary="Kleine Betriebe bilden gemeinsam aus.")

    assert titles(client.get("/projects/", {"q": "Ausbildungen"})) == ["Ausbildung im Verbund"]
    assert titles(client.get("/projects/", {"q": "Betrieb"})) == ["Ausbildung im Verbund"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL's full-text search")
def test_a_search_lists_the_best_hits_first(client, coordinator):
    showcased(coordinator, title="Holz im Alltag", description="Etwas über Fenster.", accepted_days_ago=5)
    showcased(coordinator, title="Fenster aus Holz", summary="Fenster, Fenster.", accepted_days_ago=9)

    response = client.get("/projects/", {"q": "Fenster"})

    assert titles(response) == ["Fenster aus Holz", "Holz im Alltag"]
    assert '<option value="relevanz" selected>Beste Treffer zuerst</option>' in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="websearch syntax is PostgreSQL's")
def test_an_excluded_word_stays_excluded(client, coordinator):
    showcased(coordinator, title="Fenster aus Holz")
    showcased(coordinator, title="Fenster aus Stahlbeton")

    assert titles(client.get("/projects/", {"q": "Fenster -Stahlbeton"})) == ["Fenster aus Holz"]
    # "Stahlbeton" is one word to the dictionary, so excluding "beton" leaves it in.
    assert sorted(titles(client.get("/projects/", {"q": "Fenster -beton"}))) == [
        "Fenster aus Holz",
        "Fenster aus Stahlbeton",
    ]


def test_websearch_syntax_and_odd_input_do_not_break_the_page(client, coordinator):
    showcased(coordinator, title="Fenster aus Holz")

    for query in ['"Fenster aus"', "Fenster -Beton", "Fenster OR Türen", "&|!():*", "'", "x" * 500]:
        assert client.get("/projects/", {"q": query}).status_code == 200, query


# --- Order and pages -----------------------------------------------------------


def test_sorting(client, coordinator):
    showcased(coordinator, title="Bau", starts_on=datetime.date(2024, 1, 1), accepted_days_ago=1)
    showcased(coordinator, title="alpha", starts_on=datetime.date(2026, 1, 1), accepted_days_ago=3)
    showcased(coordinator, title="Czech", starts_on=datetime.date(2025, 1, 1), accepted_days_ago=2)

    assert titles(client.get("/projects/")) == ["Bau", "Czech", "alpha"]
    assert titles(client.get("/projects/", {"sortierung": "neueste"})) == ["Bau", "Czech", "alpha"]
    assert titles(client.get("/projects/", {"sortierung": "titel"})) == ["alpha", "Bau", "Czech"]
    assert titles(client.get("/projects/", {"sortierung": "beginn"})) == ["alpha", "Czech", "Bau"]
    # "Best hits" without a search means nothing: the newest come first.
    assert titles(client.get("/projects/", {"sortierung": "relevanz"})) == ["Bau", "Czech", "alpha"]


def test_the_natural_order_is_shown_in_the_sort_select(client, coordinator):
    assert '<option value="neueste" selected>' in client.get("/projects/").content.decode()
    assert '<option value="relevanz" selected>' in client.get("/projects/", {"q": "Holz"}).content.decode()
    html = client.get("/projects/", {"q": "Holz", "sortierung": "titel"}).content.decode()
    assert '<option value="titel" selected>' in html


def test_twelve_projects_a_page_and_the_filters_survive_paging(client, coordinator):
    for number in range(13):
        showcased(coordinator, title=f"Projekt {number:02}", region="HH", accepted_days_ago=number)
    showcased(coordinator, title="Anderswo", region="BY")

    first = client.get("/projects/", {"region": "HH"})
    second = client.get("/projects/", {"region": "HH", "seite": 2})

    assert titles(first) == [f"Projekt {n:02}" for n in range(12)]
    assert titles(second) == ["Projekt 12"]
    assert "13 Projekte</h2>" in second.content.decode()
    assert 'href="?region=HH&amp;seite=2"' in first.content.decode()
    assert 'aria-current="page"><span class="page-link">Seite 2 von 2</span>' in second.content.decode()
    assert titles(client.get("/projects/", {"region": "HH", "seite": "abc"})) == titles(first)


# --- Links, feeds in the head, htmx -------------------------------------------------


def test_the_head_announces_both_feeds_and_the_page_links_them(client, fachgruppe):
    html = client.get("/projects/").content.decode()
    head = html.split("</head>")[0]

    assert '<link rel="alternate" type="application/rss+xml"' in head
    assert 'href="/projects/feed/"' in head
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert 'href="/projects/atom/"' in head
    body = html.split("</head>")[1]
    assert '<a href="/projects/feed/">RSS</a>' in body
    assert '<a href="/projects/atom/">Atom</a>' in body


def test_a_narrowed_page_offers_the_feed_of_its_selection(client, fachgruppe):
    html = client.get(
        "/projects/", {"region": "BY", "q": "", "sortierung": "titel", "gewerk": "gibt-es-nicht"}
    ).content.decode()

    assert 'href="/projects/feed/?region=BY"' in html
    assert 'href="/projects/atom/?region=BY"' in html


def test_links_for_each_kind_of_visitor(client, partner, coordinator):
    anonymous = client.get("/projects/").content.decode()
    client.force_login(partner)
    as_partner = client.get("/projects/").content.decode()
    client.force_login(coordinator)
    as_coordinator = client.get("/projects/").content.decode()

    assert "/projects/neu/" not in anonymous
    assert "/projects/neu/" in as_partner
    assert "/projects/meine/" in as_partner
    assert "/projects/pruefung/" not in as_partner
    assert "/projects/export/csv/" not in as_partner
    assert "/projects/pruefung/" in as_coordinator
    assert "/projects/export/csv/" in as_coordinator
    assert "/projects/export/json/" in as_coordinator


def test_htmx_gets_only_the_results(client, coordinator):
    showcased(coordinator, title="In Bayern", region="BY")
    showcased(coordinator, title="Am Rhein", region="NW")

    response = client.get("/projects/", {"region": "BY"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert titles(response) == ["In Bayern"]
    assert '<div id="catalogue-status" data-hx-swap-oob="innerHTML">1 Projekt gefunden</div>' in html
    assert "HX-Request" in response["Vary"]
    full = client.get("/projects/").content.decode()
    assert 'hx-get="/projects/"' in full
    assert 'hx-target="#catalogue-results"' in full


def test_going_back_in_history_gets_the_whole_page(client, coordinator):
    response = client.get(
        "/projects/", {"region": "BY"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


# --- Start page ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_the_start_page_shows_the_three_newest_accepted_projects(role, client, coordinator, unpublished):
    for number in range(4):
        project = showcased(
            coordinator,
            title=f"Modell Nummer {number}",
            organisation=OrganisationFactory(name=f"Innung {number}"),
            accepted_days_ago=number,
        )
    picture(project)
    if role == "coordinator":
        client.force_login(coordinator)

    html = client.get("/").content.decode()

    assert [f"Modell Nummer {n}" in html for n in range(4)] == [True, True, True, False]
    assert "Innung 0" in html
    assert "Verborgen" not in html
    assert '<a href="/projects/">Alle Modellprojekte</a>' in html
    assert [p.title for p in catalogue.showcased_projects()] == [f"Modell Nummer {n}" for n in range(3)]


def test_the_start_page_says_when_nothing_is_showcased_yet(client, coordinator, unpublished):
    assert "Noch sind keine Modellprojekte vorgestellt." in client.get("/").content.decode()


# --- Queries --------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "?gewerk=tischlerhandwerk&region=NW", "?q=Praxistage&sortierung=titel", "?q=Praxistage"],
)
@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_the_list_runs_constant_queries(role, query, client, coordinator):
    joinery = trade("Tischlerhandwerk", "tischlerhandwerk")
    if role == "coordinator":
        client.force_login(coordinator)

    def grow():
        project = showcased(
            coordinator,
            summary="Praxistage",
            trades=[joinery],
            topics=[topic("Ausbildung", "ausbildung")],
            funding_programme=FundingProgrammeFactory(),
        )
        picture(project)

    assert_constant_queries(client, f"/projects/{query}", grow=grow)


def test_the_start_page_runs_constant_queries(client, coordinator, monkeypatch):
    from projects import catalogue

    monkeypatch.setattr(catalogue, "SHOWCASE_CACHE_SECONDS", 0)  # measure the uncached page

    def grow():
        picture(showcased(coordinator))

    assert_constant_queries(client, "/", grow=grow)


def test_catalogue_filter_defaults():
    assert CatalogueFilter().effective_sort == Sort.NEWEST
    assert CatalogueFilter(query="  Holz  ").effective_sort == Sort.RELEVANCE
    assert CatalogueFilter(query="Holz", sort=Sort.TITLE).effective_sort == Sort.TITLE
    assert CatalogueFilter(query="   ").is_narrowed is False
    assert CatalogueFilter(region="BY").is_narrowed is True


def test_a_coordinator_of_another_space_gets_no_coordination_links(client, fachgruppe):
    from tests.factories.groups import SpaceFactory

    person = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=person)
    Membership.objects.create(space=SpaceFactory(), user=person, role=Membership.Role.COORDINATOR)
    client.force_login(person)

    html = client.get("/projects/").content.decode()

    # A coordinator somewhere has a review queue; only the Fachgruppe's coordinators export.
    assert "/projects/pruefung/" in html
    assert "/projects/export/csv/" not in html


def test_the_start_page_keeps_its_cards_in_the_cache_and_shows_an_acceptance_at_once(
    client, coordinator, partner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects import services
    from tests.factories.projects import ProjectFactory, reviewed, submitted

    showcased(coordinator, title="Schon im Schaufenster")
    client.get("/")
    with CaptureQueriesContext(connection) as cached:
        page = client.get("/").content.decode()
    assert "Schon im Schaufenster" in page
    assert not any("projects_project" in query["sql"] for query in cached.captured_queries)

    project = submitted(ProjectFactory(submitted_by=partner, title="Eben angenommen"))
    reviewed(project, by=coordinator)
    reviewed(project, by=UserFactory())  # a decision needs two reviews (PROJECT_MIN_REVIEWS)
    services.decide(project=project, by=coordinator, outcome="accepted", reason="Gut.")
    assert "Eben angenommen" in client.get("/").content.decode()


# --- Cost at volume ---------------------------------------------------------------


def test_beyond_the_cap_the_list_says_more_than_and_pages_without_a_total(client, coordinator, monkeypatch):
    monkeypatch.setattr(catalogue, "LIST_CAP", 2)
    for number in range(3):
        showcased(coordinator, title=f"Projekt {number}", accepted_days_ago=number)

    html = client.get("/projects/").content.decode()

    assert "Mehr als 2 Projekte</h2>" in html
    assert "Filter oder eine Suche grenzen die Liste ein." in html
    assert titles(client.get("/projects/")) == ["Projekt 0", "Projekt 1", "Projekt 2"]
    monkeypatch.setattr("projects.views.catalogue.PAGE_SIZE", 2)
    paged = client.get("/projects/", {"seite": 2}).content.decode()
    assert 'aria-current="page"><span class="page-link">Seite 2</span>' in paged


def test_a_search_with_more_hits_than_the_cap_ranks_the_newest_and_says_more_than(
    client, coordinator, monkeypatch
):
    monkeypatch.setattr(catalogue, "SEARCH_CAP", 2)
    for number in range(4):
        showcased(coordinator, title=f"Werkstatt {number}", accepted_days_ago=number)

    response = client.get("/projects/", {"q": "Werkstatt"})

    assert ">Mehr als 2 Projekte <span" in response.content.decode()
    # The cap plus one hit is ranked (to know there are more): the most recently accepted ones.
    assert sorted(titles(response)) == ["Werkstatt 0", "Werkstatt 1", "Werkstatt 2"]
    htmx = client.get("/projects/", {"q": "Werkstatt"}, headers={"HX-Request": "true"}).content.decode()
    assert "Mehr als 2 Projekte gefunden</div>" in htmx


def test_the_cap_is_written_as_the_language_writes_numbers():
    from django.utils import translation

    from portal.paging import CappedPaginator

    paginator = CappedPaginator(Project.objects.none(), 12, cap=10_000)
    with translation.override("de"):
        assert paginator.cap_display == "10.000"
    with translation.override("en"):
        assert paginator.cap_display == "10,000"
    assert paginator.count == 0
    assert paginator.is_capped is False


def test_the_filter_form_renders_its_options_without_a_template_each(client, coordinator):
    from django.test.signals import template_rendered

    for number in range(20):
        trade(f"Testgewerk {number}", f"testgewerk-{number}")
    showcased(coordinator)
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        html = client.get("/projects/", {"gewerk": "testgewerk-3"}).content.decode()
    finally:
        template_rendered.disconnect(note)

    assert '<option value="testgewerk-3" selected>Testgewerk 3</option>' in html
    assert not [name for name in rendered if name and name.startswith("django/forms/widgets/select")]
    assert len(rendered) < 40, rendered
