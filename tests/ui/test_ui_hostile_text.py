"""Record text is shown as text on every page (issue 13, item 5): hostile titles and entity names from public
webform submissions, in a real browser over a real API, load nothing, link nowhere and render no LaTeX,
colour or emphasis. Every request the pages make stays on 127.0.0.1.

Its own store, API and UI (the records would otherwise show up in the other browser tests' searches).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from urllib.parse import quote, urlparse

import pytest
from md_escapes import WORD_JOINER, plain, shown
from playwright.sync_api import Page, expect
from servers import CLI, REPO, Server, clean_env, start_api, start_ui, stop

from ui.fragments import md_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = REPO / "tests" / "fixtures" / "attacks" / "hostile_titles.jsonl"
RECORDS = [json.loads(line) for line in HOSTILE.read_text(encoding="utf-8").splitlines() if line.strip()]
TITLES = {r["id"]: r["title"] for r in RECORDS}
BAD_URL_ID = "![id](http://tracker.invalid/id.png)"


@pytest.fixture(scope="module")
def hostile_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`pledges index` of the hostile records into a fresh store, then `pledges serve` and `pledges ui`."""
    data_dir = tmp_path_factory.mktemp("hostile-store")
    done = subprocess.run(
        CLI + ["index", str(HOSTILE), "--no-progress"],
        capture_output=True,
        text=True,
        env=clean_env(PLEDGES_DATA_DIR=str(data_dir)),
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, f"pledges index failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    logs = tmp_path_factory.mktemp("hostile-logs")
    api = start_api(data_dir, logs / "api.log")
    try:
        ui = start_ui(api.url, logs / "ui.log")
        yield ui
        stop(ui)
    finally:
        stop(api)


@pytest.fixture()
def tab(browser) -> Iterator[Page]:
    """A fresh tab that records the address of every request it makes (frames and workers included)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.requests = requests  # type: ignore[attr-defined]
    yield page
    context.close()


def settled(page: Page) -> None:
    """Streamlit has finished the run that put the awaited text on screen."""
    expect(page.locator("[data-testid=stApp]")).to_have_attribute("data-test-script-state", "notRunning")


def assert_nothing_rendered(page: Page) -> None:
    """Once the page has settled: no link, image, formula or coloured text made from record text, and no
    request off 127.0.0.1. (A heading's own "#anchor" link may spell its text: it leads nowhere else.)"""
    rendered = {
        "links": page.locator("a[href*='tracker']:not([href^='#'])").count(),
        "images and frames": page.locator("img[src*='tracker'], [style*='tracker'], iframe").count(),
        "LaTeX": page.locator(".katex, .katex-html, math").count(),
        "emphasis": page.locator("strong:text-is('bold'), em:text-is('bold')").count(),
        "colour": page.locator("span[style*='color']:has-text('coloured')").count(),
    }
    assert rendered == dict.fromkeys(rendered, 0), rendered
    hosts = {urlparse(url).hostname for url in page.requests if url.startswith(("http", "ws"))}
    assert hosts <= {"127.0.0.1"}, f"the page reached {sorted(hosts)}"


def test_search_results_show_hostile_titles_as_text(tab: Page, hostile_ui: Server) -> None:
    tab.goto(hostile_ui.url)
    cards = tab.locator("[data-testid=stMain] [data-testid=stPageLink]")
    expect(cards).to_have_count(len(RECORDS))
    for title in TITLES.values():
        expect(cards.filter(has_text=shown(title))).to_have_count(1)
    expect(
        tab.get_by_text(
            "[Click me](http://tracker.invalid/link) <img src=http://tracker.invalid/entity.png>", exact=False
        ).first
    ).to_be_visible()
    settled(tab)
    assert_nothing_rendered(tab)


@pytest.mark.parametrize("record_id", sorted(TITLES))
def test_the_pledge_page_shows_the_title_as_text(tab: Page, hostile_ui: Server, record_id: str) -> None:
    tab.goto(f"{hostile_ui.url}/pledge?id={record_id}")
    heading = tab.locator("[data-testid=stMain] h1")
    expect(heading).to_have_text(shown(TITLES[record_id]))
    expect(tab.get_by_role("heading", name="Similar pledges")).to_be_visible()
    expect(tab.locator("[class*=st-key-similar_]")).to_have_count(len(RECORDS) - 1)
    settled(tab)
    assert_nothing_rendered(tab)


def test_compare_and_a_hostile_url_render_as_text(tab: Page, hostile_ui: Server) -> None:
    ids = sorted(TITLES)[:3]
    tab.goto(f"{hostile_ui.url}/compare?" + "&".join(f"id={i}" for i in ids))
    table = tab.locator("table.gcm-compare")
    for record_id in ids:
        expect(table).to_contain_text(TITLES[record_id])
    settled(tab)
    assert_nothing_rendered(tab)

    tab.goto(f"{hostile_ui.url}/pledge?id={quote(BAD_URL_ID)}")
    expect(tab.get_by_text(shown(f"no record has the id {BAD_URL_ID}."))).to_be_visible()
    settled(tab)
    assert_nothing_rendered(tab)

    region = "![r](http://tracker.invalid/region.png) $x$"
    tab.goto(f"{hostile_ui.url}/?region={quote(region)}")
    expect(
        tab.locator("section[data-testid=stSidebar] [data-testid=stCheckbox]").filter(
            has_text=re.compile(rf"^{shown(region).pattern} \(0\)$")
        )
    ).to_have_count(1)
    settled(tab)
    assert_nothing_rendered(tab)


def test_md_text_round_trips_every_hostile_title() -> None:
    """What the pages above rely on: escaped titles read back as the titles themselves."""
    for title in TITLES.values():
        assert plain(md_text(title)) == " ".join(title.split())
        assert shown(title).fullmatch(re.sub(r"\\(.)", r"\1", md_text(title))), title
    assert WORD_JOINER not in md_text("A plain title, without addresses")
