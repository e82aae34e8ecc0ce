"""What the browser tests read off a page, shared by the test files of tests/ui (imported as `browsing`: pytest
puts tests/ui on sys.path). Every wait polls with Playwright's `expect` or `wait_for_function`, never a sleep."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Locator, Page, expect

TOTAL = re.compile(r"^(\d[\d,]*) results?\b")
MAIN = "[data-testid=stMain]"
SIDEBAR = "section[data-testid=stSidebar]"


def total(page: Page) -> int:
    """The result count the page shows."""
    text = page.get_by_text(TOTAL).first.inner_text()
    return int(TOTAL.match(text).group(1).replace(",", ""))


def settled(page: Page) -> None:
    """Wait until Streamlit has finished the current run (call it once the run's new text is on screen) and
    every element is drawn (a widget shows a grey skeleton while its code loads)."""
    expect(page.locator("[data-testid=stApp]")).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.locator("[data-testid=stSkeleton]")).to_have_count(0)


def cards(page: Page) -> Locator:
    """The result cards' title links, in order."""
    return page.locator(f"{MAIN} [class*=st-key-hit_] [data-testid=stPageLink]")


def result_titles(page: Page) -> list[str]:
    """Titles of the result cards, in order (their first line is the icon)."""
    return [text.strip().splitlines()[-1] for text in cards(page).all_inner_texts()]


def expect_titles(page: Page, titles: list[str]) -> None:
    """The result cards show exactly these titles, in order; polls until Streamlit has replaced the old cards."""
    expect(cards(page)).to_have_text([re.compile(rf"{re.escape(title)}\s*$") for title in titles])


def api_search(api_url: str, **params: object) -> dict:
    """What the API answers for a search, to compare the page with."""
    return httpx.get(f"{api_url}/search", params=params, timeout=60).json()


def facet_box(page: Page, label: str, where: str = SIDEBAR) -> Locator:
    """The checkbox whose label starts with `label` and ends with its count, "(n)" or, for an objective some
    records are only suggested, "(n, m suggested)" (in the sidebar by default)."""
    return page.locator(f"{where} [data-testid=stCheckbox]").filter(
        has_text=re.compile(rf"^{re.escape(label)} \(\d+(, [^()]+)?\)$")
    )


def facet_count(page: Page, label: str) -> int:
    """The count shown beside a facet value."""
    return int(re.search(r"\((\d+)[^()]*\)$", facet_box(page, label).inner_text().strip()).group(1))


def main_scroll_is_top(page: Page) -> None:
    """Wait until the page shows its top (Streamlit scrolls its main block, not the document)."""
    page.wait_for_function(
        "() => { const m = document.querySelector('[data-testid=stMain]'); return m && m.scrollTop === 0; }"
    )


def main_scroll(page: Page) -> int:
    """How far the main block is scrolled down, in pixels."""
    return page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")
