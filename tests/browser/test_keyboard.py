"""Keyboard users reach the content first and always see where the focus is."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a sighted keyboard user sees of the focused element: its outline, or a focus shadow.
FOCUS_INDICATOR = """() => {
  const element = document.activeElement;
  if (element === document.body) return null;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadowed = style.boxShadow !== "none" && !/rgba\\(0, 0, 0, 0\\)/.test(style.boxShadow);
  const label = (element.innerText || element.getAttribute("aria-label") || element.name || "").trim();
  return {element: `<${element.tagName.toLowerCase()}> ${label.slice(0, 40)}`, visible: outlined || shadowed};
}"""


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


@pytest.mark.parametrize("width", [1280, 390])
def test_every_control_of_the_start_page_shows_a_visible_focus(page: Page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    menu = page.get_by_role("banner").locator("summary", has_text="Menü")
    if menu.is_visible():
        # On a phone the navigation is folded behind the menu button; open, it is tabbed through too.
        menu.click()
        page.evaluate("document.activeElement.blur()")

    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        indicator = page.evaluate(FOCUS_INDICATOR)
        if indicator is None or (focused and indicator["element"] == focused[0]["element"]):
            break
        focused.append(indicator)

    assert len(focused) >= 10, focused
    assert [f["element"] for f in focused if not f["visible"]] == []
