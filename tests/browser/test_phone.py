"""The portal on a 390-px phone and on a desktop: a menu button, filters behind "Filter", tables
that never push a page sideways, and the demo's pages as each demo account sees them."""

import hashlib
import os
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from meetings import minutes
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories.meetings import MeetingFactory, PastMeetingFactory
from tests.projects.showcase import showcased
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
DEMO_ACCOUNTS = [
    "koordination@example.org",
    "innen@example.org",
    "partner@example.org",
    "gast@example.org",
    "pruefung@example.org",
]
# Downloads, feeds and pages that end the session are no pages to look at.
NOT_A_PAGE = re.compile(
    r"^/(admin|static|media)/|/accounts/logout/|\.ics$|/ics/|/pdf/|\.pdf$|/feed|/rss|/atom|/export|\.csv$|\.json$"
    r"|/anhaenge/\d+/$|/bilder/\d+/|/dokumente?/\d+/(datei|download|versionen/\d+)/"
)
# Each kind of page (ids and slugs aside) twice per account keeps the crawl at a few minutes.
PAGES_PER_KIND = 2
# Set to a folder to keep a full-page screenshot of every page of the crawl, e.g. /tmp/phone.
SCREENSHOT_DIR = os.environ.get("PHONE_SCREENSHOTS")


def _context(browser: Browser, live_server, *, viewport: dict, user=None, **options):
    context = browser.new_context(viewport=viewport, locale="de-DE", timezone_id="Europe/Berlin", **options)
    # Longer than the suite's 5 s: the first page of a cold live server on a loaded machine.
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return context


def _disclosure(page: Page, name: str) -> dict | None:
    """The accessibility node Chromium builds for a <summary>: what a screen reader announces."""
    session = page.context.new_cdp_session(page)
    for node in session.send("Accessibility.getFullAXTree")["nodes"]:
        if node["role"]["value"] == "DisclosureTriangle" and node.get("name", {}).get("value") == name:
            return node
    return None


def _page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_phone_the_navigation_opens_from_a_menu_button_without_javascript(browser, live_server, partner):
    context = _context(browser, live_server, viewport=PHONE, user=partner, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    header = page.get_by_role("banner")
    menu = header.locator("summary", has_text="Menü")

    expect(menu).to_be_visible()
    assert _disclosure(page, "Menü") is not None
    expect(header.get_by_role("link", name="Räume")).to_be_hidden()
    menu_box = menu.bounding_box()
    brand_box = header.get_by_role("link", name=re.compile("^Fachgruppe Handwerk")).bounding_box()
    assert menu_box["y"] < brand_box["y"] + brand_box["height"], "the button shares the brand's line"

    menu.click()

    expect(header.get_by_role("link", name="Räume")).to_be_visible()
    expect(header.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(header.get_by_label("Sprache")).to_be_visible()
    header.get_by_role("link", name="Räume").click()
    expect(page).to_have_url(live_server.url + "/spaces/")
    assert _page_width(page) <= PHONE["width"]


def test_on_a_desktop_the_navigation_is_shown_and_there_is_no_menu_button(browser, live_server, partner):
    page = _context(browser, live_server, viewport=DESKTOP, user=partner).new_page()
    page.goto(live_server.url + "/")
    header = page.get_by_role("banner")

    expect(header.locator("summary", has_text="Menü")).to_be_hidden()
    for name in ("Start", "Informationen", "Räume", "Sitzungen", "Projekte", "Fragen", "Benachrichtigungen"):
        expect(header.get_by_role("link", name=re.compile(f"^{name}"))).to_be_visible()
    expect(header.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(header.get_by_label("Sprache")).to_be_visible()
    brand = header.get_by_role("link", name=re.compile("^Fachgruppe Handwerk")).bounding_box()
    language = header.get_by_label("Sprache").bounding_box()
    assert language["y"] < brand["y"] + brand["height"], "the language switch sits beside the brand"


def test_on_a_phone_the_catalogue_shows_its_results_before_the_filters(browser, live_server, coordinator):
    showcased(coordinator, title="Backstube in Bayern", region="BY")
    page = _context(browser, live_server, viewport=PHONE).new_page()
    page.goto(live_server.url + "/projects/")
    main = page.get_by_role("main")
    toggle = main.locator("summary", has_text="Filter")

    expect(toggle).to_be_visible()
    expect(main.get_by_label("Region")).to_be_hidden()
    result = main.get_by_role("heading", name="Backstube in Bayern")
    expect(result).to_be_in_viewport()

    toggle.click()

    expect(main.get_by_label("Region")).to_be_visible()
    main.get_by_label("Region").select_option("BY")
    expect(page).to_have_url(re.compile(r"region=BY"))
    expect(result).to_be_visible()

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/projects/")
    expect(main.locator("summary", has_text="Filter")).to_be_hidden()
    expect(main.get_by_label("Region")).to_be_visible()


def test_the_task_status_select_shows_its_whole_label(browser, live_server, fachgruppe, coordinator):
    meeting = PastMeetingFactory(space=fachgruppe, title="Fachgruppentreffen mit einem recht langen Titel")
    minutes.minutes_edit(meeting=meeting, by=coordinator, introduction="Begrüßung")
    task = minutes.action_item_add(
        meeting=meeting,
        by=coordinator,
        title="Konzept zur Diskussion an die Runde verschicken",
        assignees=[coordinator],
    )
    assert task.pk
    minutes.minutes_publish(meeting=meeting, by=coordinator)

    for viewport in (PHONE, DESKTOP):
        page = _context(browser, live_server, viewport=viewport, user=coordinator).new_page()
        page.goto(live_server.url + "/meetings/tasks/")
        select = page.get_by_label(re.compile("^Status von"))
        select.select_option(label="In Arbeit")
        # The select's inner width against the width its longest option's text needs.
        needed, available = select.evaluate(
            """select => {
                const style = getComputedStyle(select);
                const canvas = document.createElement("canvas").getContext("2d");
                canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const longest = Math.max(...[...select.options].map(o => canvas.measureText(o.text).width));
                const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
                return [longest, select.clientWidth - padding];
            }"""
        )
        assert needed <= available, f"{viewport['width']} px: {available:.0f} px for {needed:.0f} px of text"
        assert _page_width(page) <= viewport["width"]


def test_the_month_calendar_has_seven_columns_of_one_width_and_marks_today(
    browser, live_server, fachgruppe, partner
):
    # A long title on today's date, which widened its column before.
    MeetingFactory(
        space=fachgruppe,
        title="Erfahrungsaustausch zur Baustellendokumentation im Dachdeckerhandwerk",
        starts_at=timezone.now(),
    )
    for viewport in (DESKTOP, PHONE):
        page = _context(browser, live_server, viewport=viewport, user=partner).new_page()
        page.goto(live_server.url + "/meetings/calendar/")
        widths = page.locator(".calendar-month thead th").evaluate_all(
            "cells => cells.map(cell => cell.getBoundingClientRect().width)"
        )
        assert len(widths) == 7
        assert max(widths) - min(widths) < 1, widths
        today = page.locator('.calendar-month td[aria-current="date"]')
        expect(today).to_have_count(1)
        expect(today).to_contain_text("heute")
        assert _page_width(page) <= viewport["width"]


def _kind(path: str) -> str:
    """/meetings/2/ and /meetings/5/ are one kind of page; so are two projects."""
    parts = [re.sub(r"^\d+$", "<id>", part) for part in path.strip("/").split("/")]
    if parts and parts[0] in {"projects", "informationen", "spaces"} and len(parts) > 1:
        fixed = {"neu", "meine", "pruefung", "feed", "abonnieren", "abonnement"}
        parts[1] = parts[1] if parts[1] in fixed else "<slug>"
    return "/".join(parts)


# The markup of a page as axe judges it, without its words: each element's tag, its attributes (the
# values of those that carry content or addresses left out, digits in the others made 0), whether it
# has text of its own, and its children, a run of children of the same markup counted once. Two pages
# with the same skeleton differ in their words and addresses only.
SKELETON = """() => {
    const content = new Set(["href", "src", "srcset", "value", "content", "action", "datetime", "alt",
                             "title", "placeholder", "aria-label", "aria-valuenow", "aria-valuetext"]);
    const skeleton = element => {
        const attributes = [...element.attributes]
            .map(a => content.has(a.name) ? a.name : `${a.name}=${a.value.replace(/[0-9]+/g, "0")}`)
            .sort().join(" ");
        const text = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) ? "T" : "";
        const children = [];
        for (const child of element.children) {
            const part = skeleton(child);
            if (part !== children[children.length - 1]) children.push(part);
        }
        return `<${element.tagName} ${attributes}${text}>${children.join("")}</>`;
    };
    return skeleton(document.documentElement);
}"""


def _skeleton(page: Page) -> str:
    return hashlib.sha256(page.evaluate(SKELETON).encode()).hexdigest()


def _crawl(
    page: Page, base_url: str, *, axe: Axe, width: int, who: str, checked: set[str]
) -> tuple[list[str], int]:
    """Every page reachable from the start page by links; what is wrong on them, and how many.

    axe is the crawl's dearest step: it looks at the first page of each kind per account, unless a
    page of the same skeleton was checked already (`checked`, shared by the accounts)."""
    problems, queue, seen, kinds, count = [], ["/"], {"/"}, {}, 0
    while queue:
        path = queue.pop(0)
        kinds[_kind(path)] = kinds.get(_kind(path), 0) + 1
        if kinds[_kind(path)] > PAGES_PER_KIND:
            continue
        try:
            response = page.goto(base_url + path)
        except Exception as error:  # a link that turns out to be a download
            if "Download is starting" in str(error):
                continue
            raise
        count += 1
        if response.status >= 400 and response.status not in (403,):
            problems.append(f"{path}: answers {response.status}")
            continue
        if urlsplit(page.url).netloc != urlsplit(base_url).netloc:
            continue
        if (scroll_width := _page_width(page)) > width:
            problems.append(f"{path}: {scroll_width} px wide")
        # One page of each kind per account carries every template's markup.
        if kinds[_kind(path)] == 1 and (skeleton := _skeleton(page)) not in checked:
            checked.add(skeleton)
            if violations := blocking_violations(axe, page):
                problems.append(f"{path}: {describe_violations(violations)}")
        if SCREENSHOT_DIR:
            name = re.sub(r"[^a-z0-9]+", "_", path.strip("/")) or "start"
            page.screenshot(path=Path(SCREENSHOT_DIR) / f"crawl_{width}_{who}_{name}.png", full_page=True)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(page.url, href))
            if target.netloc != urlsplit(base_url).netloc or NOT_A_PAGE.search(target.path):
                continue
            if target.path not in seen:
                seen.add(target.path)
                queue.append(target.path)
    return problems, count


def test_no_page_of_the_demo_is_wider_than_a_phone_or_has_serious_accessibility_violations(
    browser, live_server, axe
):
    well_known_spaces()  # an earlier transactional test may have flushed the migration's spaces
    call_command("seed_demo", password="demo-Handwerk-2026", force=True, stdout=StringIO())
    users = get_user_model().objects.in_bulk(DEMO_ACCOUNTS, field_name="email")
    report, total, checked = [], 0, set()
    for account in [None, *DEMO_ACCOUNTS]:
        who = account.split("@")[0] if account else "anonymous"
        context = _context(browser, live_server, viewport=PHONE, user=users[account] if account else None)
        problems, count = _crawl(
            context.new_page(), live_server.url, axe=axe, width=PHONE["width"], who=who, checked=checked
        )
        context.close()
        total += count
        report += [f"{who}: {problem}" for problem in problems]
        assert count > 5, f"{who} reached only {count} pages: was the session accepted?"

    assert not report, f"{len(report)} problem(s) on {total} pages at 390 px:\n" + "\n".join(report)


def test_long_german_words_are_hyphenated_where_the_browser_can_and_never_overflow(
    browser, live_server, coordinator
):
    project = showcased(coordinator, title="Digitale Baustellendokumentation für kleine Dachdeckerbetriebe")
    page = _context(browser, live_server, viewport=PHONE).new_page()

    for path in ("/projects/", project.get_absolute_url()):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        title = page.get_by_role("main").get_by_role("heading", name=project.title)
        # Hyphenation needs the browser's dictionary of the page's language; where it has none
        # (Chromium without its downloaded dictionaries, as here), the word breaks to fit.
        assert title.evaluate("h => [getComputedStyle(h).hyphens, getComputedStyle(h).overflowWrap]") == [
            "auto",
            "break-word",
        ]
        assert _page_width(page) <= PHONE["width"], path
