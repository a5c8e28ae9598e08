"""Keyboard users reach the content first: the skip link."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_tab_shows_the_skip_link_which_moves_focus_to_the_main_content(page: Page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box["width"] > 60
    assert box["height"] > 20
    assert box["x"] >= 0
    assert box["y"] >= 0

    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()
    expect(skip_link).not_to_be_in_viewport()
