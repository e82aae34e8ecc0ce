"""The UI in a real browser (Debian's chromium), over the real API and the bundled corpus.

What a mayor's office does: search for a one-stop centre, find Barranquilla's, narrow to objective 15, open
the pledge and its similar pledges; open a bookmarked search; browse the charts; compare two pledges. Each
page is screenshotted to artifacts/screenshots/. Waits are on concrete text, never on fixed sleeps.
"""

from __future__ import annotations

import csv
import re
from urllib.parse import urlparse

import httpx
import pytest
from browsing import (
    SIDEBAR,
    TOTAL,
    api_search,
    cards,
    expect_titles,
    facet_box,
    facet_count,
    result_titles,
    settled,
    total,
)
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERY = "one-stop centre for migrants"
BARRANQUILLA = "Center for the Local Integration of Migrants"  # sub-2291, the City of Barranquilla's pledge


def test_find_barranquilla_narrow_to_objective_15_and_open_similar(
    page: Page, ui_server, api_server, screenshots
) -> None:
    expected = api_search(api_server.url, q=QUERY)
    page.goto(ui_server.url)
    box = page.get_by_label("Search pledges, practices and local actions")
    box.fill(QUERY)
    box.press("Enter")
    expect(page.get_by_text(TOTAL).first).to_have_text(re.compile(rf"^{expected['total']} results"))
    expect_titles(page, [hit["title"] for hit in expected["hits"]])
    titles = result_titles(page)
    assert BARRANQUILLA in titles[:5], titles
    assert "q=one-stop+centre+for+migrants" in page.url

    before_total, before_cities = total(page), facet_count(page, "City / local authority")
    objective_15 = facet_count(page, "15 · Basic services")
    facet_box(page, "15 · Basic services").click()
    expect(page.get_by_text(TOTAL).first).to_have_text(re.compile(rf"^{objective_15} results?"))
    settled(page)
    assert objective_15 < before_total
    assert facet_count(page, "City / local authority") < before_cities
    expect(facet_box(page, "15 · Basic services").get_by_role("checkbox")).to_be_checked()
    assert "objective=15" in page.url
    assert BARRANQUILLA in result_titles(page)
    page.screenshot(path=screenshots / "search.png")

    cards(page).filter(has_text=BARRANQUILLA).first.click()
    expect(page.get_by_role("heading", name="Similar pledges")).to_be_visible()
    assert "id=sub-2291" in page.url
    expect(page.get_by_text("Barranquilla", exact=False).first).to_be_visible()
    similar = page.locator("[class*=st-key-similar_]")
    expect(similar.first).to_be_visible()
    expect(similar.first.locator(".gcm-reason").first).to_be_visible()
    page.screenshot(path=screenshots / "pledge.png")

    # The same city's local action is the nearest neighbour; "only other countries" drops every Colombian one.
    expect(similar.filter(has_text="Colombia").first).to_be_visible()
    page.get_by_text("Only other countries").click()
    expect(page).to_have_url(re.compile("other_countries=true"))
    expect(similar.filter(has_text="Colombia")).to_have_count(0)
    expect(similar.first).to_be_visible()
    sharing = similar.filter(has_text="Text similarity ").first  # every neighbour says why, in words
    expect(sharing).to_be_visible()
    settled(page)
    sharing.scroll_into_view_if_needed()  # Streamlit scrolls its main block, not the document
    page.screenshot(path=screenshots / "pledge_other_countries.png")


def test_bookmarked_url_runs_its_search(page: Page, ui_server, api_server) -> None:
    expected = api_search(api_server.url, q=QUERY, objective=15, objective_scope="all")  # the UI's scope
    page.goto(f"{ui_server.url}/?q=one-stop+centre+for+migrants&objective=15&mode=hybrid")
    expect(page.get_by_text(TOTAL).first).to_have_text(re.compile(rf"^{expected['total']} results?"))
    expect(page.get_by_label("Search pledges, practices and local actions")).to_have_value(QUERY)
    expect(facet_box(page, "15 · Basic services").get_by_role("checkbox")).to_be_checked()
    settled(page)
    expect_titles(page, [hit["title"] for hit in expected["hits"]])


def test_explore_charts_render_offline_and_a_bar_opens_the_filtered_search(page: Page, ui_server, screenshots) -> None:
    page.goto(f"{ui_server.url}/explore")
    expect(page.get_by_text("Records per GCM objective")).to_be_visible()
    colombia = page.locator('svg.marks path[aria-label^="Colombia: "]')  # the map is drawn from shipped geometry
    expect(colombia).to_have_count(1)
    expect(page.locator('svg.marks path[aria-label^="15 · Basic services: "]').first).to_be_visible()
    expect(page.locator("[data-testid=stMain] .stVegaLiteChart")).to_have_count(5)
    page.screenshot(path=screenshots / "explore.png")
    hosts = {urlparse(url).hostname for url in page.requests if url.startswith("http")}
    assert hosts <= {"127.0.0.1"}, f"the page fetched from elsewhere: {sorted(hosts)}"

    page.locator('svg.marks path[aria-label^="15 · Basic services: "][aria-roledescription=bar]').click()
    expect(facet_box(page, "15 · Basic services").get_by_role("checkbox")).to_be_checked()
    expect(page.get_by_text(TOTAL).first).to_be_visible()
    assert "objective=15" in page.url


def test_compare_two_pledges_side_by_side(page: Page, ui_server, api_server, screenshots) -> None:
    other = httpx.get(
        f"{api_server.url}/pledges/sub-2291/similar", params={"k": 1, "other_countries": True}, timeout=60
    ).json()["data"][0]
    page.goto(f"{ui_server.url}/compare?id=sub-2291&id={other['id']}")
    table = page.locator("table.gcm-compare")
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_have_count(3)
    expect(table).to_contain_text(BARRANQUILLA)
    expect(table).to_contain_text(other["title"])
    expect(table).to_contain_text("GCM objectives")
    page.screenshot(path=screenshots / "compare.png")


def test_interface_in_french(page: Page, ui_server, screenshots) -> None:
    page.goto(f"{ui_server.url}/?q=migrants")
    sidebar = page.locator(SIDEBAR)  # (the phone's copy of the filters is in the page too, hidden)
    expect(sidebar.get_by_text("GCM objective")).to_be_visible()
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="Français").click()
    expect(sidebar.get_by_text("Objectif du PMM")).to_be_visible()
    expect(page).to_have_url(re.compile("lang=fr"))
    expect(facet_box(page, "15 · Services de base")).to_have_count(1)
    expect(page.get_by_role("button", name="Exporter en CSV")).to_be_visible()
    expect(page.get_by_role("link", name="Explorer")).to_be_visible()
    page.screenshot(path=screenshots / "search_fr.png")


def test_mode_switch_pages_and_csv_export_follow_the_api(page: Page, ui_server, api_server, tmp_path) -> None:
    page.goto(f"{ui_server.url}/?q=migrants")
    keyword = api_search(api_server.url, q="migrants", mode="keyword")
    page.get_by_text("Advanced", exact=True).click()
    page.get_by_role("radio", name="Keyword").click()
    expect(page).to_have_url(re.compile("mode=keyword"))
    expect(page.get_by_text(TOTAL).first).to_have_text(re.compile(rf"^{keyword['total']} results"))
    settled(page)
    expect_titles(page, [hit["title"] for hit in keyword["hits"]])

    second = api_search(api_server.url, q="migrants", mode="keyword", page=2)
    page.get_by_role("button", name="Page 2", exact=True).click()
    expect(page).to_have_url(re.compile("page=2"))
    expect(page.get_by_text("Page 2 of")).to_be_visible()
    settled(page)
    expect_titles(page, [hit["title"] for hit in second["hits"]])

    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == keyword["total"]  # every result, not one page
    assert {row["Title"] for row in rows} >= {hit["title"] for hit in keyword["hits"] + second["hits"]}


def test_sidebar_controls_empty_result_and_unknown_pledge(page: Page, ui_server, screenshots) -> None:
    page.goto(
        f"{ui_server.url}/?q=seasonal+farmworker+housing&synthetic=true&sort=deadline"
        "&deadline_from=2030-01-01&deadline_to=2035-12-31"
    )
    expect(page.get_by_text(TOTAL).first).to_have_text(re.compile(r"^2 results"))
    settled(page)
    expect(page.locator("[data-testid=stMain] .gcm-badge-synthetic")).to_have_count(2)
    sidebar = page.locator("section[data-testid=stSidebar]")
    expect(page.get_by_role("radio", name="Only synthetic test records")).to_be_checked()  # under "Advanced"
    expect(sidebar.get_by_role("combobox", name="Deadline from")).to_have_value("2030")
    expect(sidebar.get_by_role("combobox", name="Deadline until")).to_have_value("2035")
    page.screenshot(path=screenshots / "search_controls.png")

    page.goto(f"{ui_server.url}/?q=guestworkers&mode=keyword&objective=15")
    expect(page.get_by_text("No record matches this search.")).to_be_visible()
    hybrid = page.get_by_role("button", name="Try hybrid search")
    expect(hybrid).to_be_visible()
    expect(page.get_by_role("button", name="Clear filters")).to_have_count(2)  # sidebar and suggestion
    settled(page)
    page.screenshot(path=screenshots / "search_empty.png")
    hybrid.click()
    expect(page.get_by_text(TOTAL).first).to_have_text(re.compile(r"^1 result\b"))
    assert "mode=keyword" not in page.url and "objective=15" in page.url

    page.goto(f"{ui_server.url}/pledge?id=no-such-pledge")
    expect(page.get_by_text("Pledge not found: no record has the id no-such-pledge.")).to_be_visible()
    settled(page)
    page.screenshot(path=screenshots / "pledge_not_found.png")
