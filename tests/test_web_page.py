"""The explorer page in a real browser: Debian's headless Chromium, driven by Playwright, against a
live uvicorn server on a free loopback port. What the page shows is checked against what the API
answers for the same question; screenshots go to a temporary directory (``make screenshots`` retakes
docs/screenshots/explorer-*.png).

Needs /usr/bin/chromium (Debian package ``chromium``) and the ``playwright`` Python package (the
dev extra; ``make test`` installs both). Playwright's own browser download is never used. Without
Chromium the tests fail, saying what to install: a browser test that cannot run is not a pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, screenshot_dir
from tests.live_server import live_server

VIEWPORT = {"width": 1680, "height": 1050}
TIMEOUT_MS = 20_000

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None  # type: ignore[assignment]

_missing = None
if sync_playwright is None:
    _missing = "the playwright package is not installed (pip install -e '.[dev]')"
elif not Path(CHROMIUM).exists():
    _missing = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"


# ------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The real app under uvicorn in a child process, on the embedded store."""
    with live_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if _missing:
        pytest.fail(f"the browser tests cannot run: {_missing}", pytrace=False)
    assert sync_playwright is not None
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    p = context.new_page()
    p.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield p
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def api(base: str, path: str, **params: Any) -> Any:
    r = httpx.get(f"{base}{path}", params=params, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def open_page(page: Page, base: str, query: str) -> None:
    page.goto(f"{base}/?{query}")
    page.wait_for_selector("body[data-ready=true]")
    wait_chart(page)


def wait_chart(page: Page, year: int | None = None) -> None:
    """Until the chart on screen is the one for ``year`` (if given) and no request is pending."""
    page.wait_for_function(
        """(year) => {
            const chart = document.getElementById('chart');
            const svg = chart.querySelector('svg');
            return chart.getAttribute('aria-busy') === 'false' && svg &&
                   (year === null || svg.dataset.asOf === String(year));
        }""",
        arg=year,
    )


def shown_organs(page: Page) -> set[str]:
    return set(page.eval_on_selector_all("#chart g.organ", "els => els.map(e => e.dataset.id)"))


def shown_edges(page: Page) -> set[str]:
    return set(page.eval_on_selector_all("#chart path.edge", "els => els.map(e => e.dataset.edgeId)"))


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(screenshot_dir() / f"explorer-{name}.png"), full_page=True)


# ------------------------------------------------------------------------------------ the year slider


def test_slider_across_1978_cfc_appears(page: Page, server: str) -> None:
    """ "In 1978 ... the current Combined Forces Command (CFC) was established and supplanted UNC as
    the warfighter": moving the slider from 1977 to 1978 brings CFC onto the chart, and the chart
    shows exactly the organs the API lists for each year."""
    open_page(page, server, "alliance=us-rok&as_of=1976&condition=armistice")
    slider = page.locator("#year")
    slider.focus()
    for year in (1977, 1978):
        page.keyboard.press("ArrowRight")
        wait_chart(page, year)
        assert page.locator("#year-out").inner_text() == str(year)
        listed = {o["id"] for o in api(server, "/alliances/us-rok/organs", as_of=year, condition="armistice")}
        assert shown_organs(page) == listed
        assert ("us-rok.cfc" in listed) == (year >= 1978)
        assert f"as_of={year}" in page.url
    shot(page, "us-rok-1978")


def test_slider_across_1994_armistice_opcon_withdrawn(page: Page, server: str) -> None:
    """ "In 1994, "peacetime OPCON" was withdrawn from Commander CFC, and the ROK has since
    maintained full operational control of its own forces"."""
    open_page(page, server, "alliance=us-rok&as_of=1992&condition=armistice")
    page.locator("#year").focus()
    for year in (1993, 1994):
        page.keyboard.press("ArrowRight")
        wait_chart(page, year)
        exported = api(server, "/export", alliance="us-rok", as_of=year, condition="armistice", format="json")
        assert shown_edges(page) == {e["id"] for e in exported["edges"]}
        # Of "only those forward deployed ROK forces that were needed to ensure maintenance of the
        # Armistice Agreement" (its armistice OPCON of U.S. forces is not what 1994 withdrew).
        cfc_opcon = {
            e["id"]
            for e in exported["edges"]
            if e["source"] == "us-rok.commander-cfc"
            and e["mode"] == "opcon"
            and e["condition"] == "armistice"
            and e["target"].startswith("rok.")
        }
        assert bool(cfc_opcon) == (year < 1994)
        rok_opcon = [e for e in exported["edges"] if e["source"] == "rok.nca" and e["target"] == "rok.forces"]
        assert bool(rok_opcon) == (year >= 1994)
    # The wartime picture keeps Commander CFC's OPCON after 1994.
    page.get_by_label("wartime").check()
    wait_chart(page, 1994)
    edges = page.eval_on_selector_all(
        "#chart path.edge[data-source='us-rok.commander-cfc'][data-mode='opcon']",
        "els => els.map(e => e.dataset.condition)",
    )
    assert edges == ["wartime"]


# ------------------------------------------------------------------------------------ linkage


@pytest.mark.parametrize("alliance", ["nato", "us-rok", "us-japan"])
def test_linkage_shown_equals_the_api(page: Page, server: str, alliance: str) -> None:
    # fit=true: the page's own fit-to-width option, so the screenshot shows the whole chart
    open_page(page, server, f"alliance={alliance}&as_of=2009&condition=armistice&fit=true")
    page.click("#linkage-btn")
    page.wait_for_selector("#answer[data-question=linkage]")
    page.wait_for_selector("#chart svg g.highlight-marks")
    answer = api(server, "/linkage", alliance=alliance, as_of=2009, condition="armistice", kinds="authority")
    assert page.get_attribute("#answer", "data-linked") == str(answer["linked"]).lower()
    highlighted = page.get_attribute("#chart svg g.highlight", "data-organs") or ""
    if answer["linked"]:
        chain = [o["id"] for o in answer["witnesses"][0]["organs"]]
        assert page.eval_on_selector_all("#answer ol.chain li", "els => els.map(e => e.dataset.id)") == chain
        assert highlighted.split() == chain
        assert f"{answer['witnesses'][0]['hops']} hop(s)" in page.inner_text("#answer")
    else:
        brk = answer["break"]
        reach = page.eval_on_selector_all("#answer ul.reach li", "els => els.map(e => e.dataset.id)")
        assert reach == [o["id"] for o in brk["civilian_reach"]]
        unreached = page.eval_on_selector_all("#answer ul.unreached li", "els => els.map(e => e.dataset.id)")
        assert unreached == [o["id"] for o in answer["operational_commanders"]]
        marked = page.eval_on_selector_all("#chart rect.unreached-organ", "els => els.map(e => e.dataset.id)")
        assert sorted(marked) == sorted(unreached)
        assert page.locator("#chart g.gap").count() == 1
        closers = [c["add_kind"] for c in brk["closing_kinds"] if c["linked"]]
        assert f"Adding {' or '.join(closers)} closes the gap" in page.inner_text("#answer")
    # The twins: the same answer as JSON and CSV, one click away.
    links = page.eval_on_selector_all("#chart-twins a", "els => els.map(e => [e.textContent, e.href])")
    twins = dict(links)
    assert httpx.get(twins["linkage JSON"]).json()["linked"] == answer["linked"]
    csv = httpx.get(twins["linkage CSV"])
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    shot(page, f"linkage-{alliance}")

    # The address reproduces the view.
    url = page.url
    assert "show=linkage" in url
    page.goto(url)
    page.wait_for_selector("#answer[data-question=linkage]")
    assert page.get_attribute("#answer", "data-linked") == str(answer["linked"]).lower()


# ------------------------------------------------------------------------------------ edge kinds


def test_kind_checkboxes_are_the_table_of_kinds(page: Page, server: str) -> None:
    """Issue 23: the page's kind checkboxes come from GET /edge-kinds (one per row, in its order,
    its meaning on hover), not from a list kept in the page; the address picks which are ticked."""
    kinds = api(server, "/edge-kinds")
    open_page(page, server, "alliance=us-japan&as_of=2009&kinds=authority,coordination")
    boxes = page.eval_on_selector_all(
        'input[name="kinds"]', "els => els.map(e => [e.value, e.checked, e.parentElement.title])"
    )
    ticked = {"authority", "coordination"}
    assert boxes == [[k["kind"], k["kind"] in ticked, f"{k['meaning']} ({k['direction']})"] for k in kinds]
    assert {e.split(":")[1] for e in shown_edges(page)} <= ticked  # edge ids are source:kind:mode:target
    page.check("input[name=kinds][value=advice]")
    in_address = "() => new URLSearchParams(location.search).get('kinds')"
    page.wait_for_function(f"{in_address} === 'authority,advice,coordination'")


# ------------------------------------------------------------------------------------ paths


def test_paths_by_clicking_two_organs(page: Page, server: str) -> None:
    open_page(page, server, "alliance=us-rok&as_of=1985&condition=wartime")
    page.click("#chart g.organ[data-id='us-rok.scm']")
    page.click("#chart g.organ[data-id='rok.designated-forces']")
    page.wait_for_selector("#answer[data-question=paths]")
    page.wait_for_selector("#chart svg g.highlight")
    answer = api(
        server,
        "/paths",
        source="us-rok.scm",
        target="rok.designated-forces",
        alliance="us-rok",
        as_of=1985,
        condition="wartime",
        kinds="authority",
    )
    assert answer["connected"]
    shown = page.eval_on_selector_all("#answer ol.chain[data-path='1'] li", "els => els.map(e => e.dataset.id)")
    assert shown == [o["id"] for o in answer["paths"][0]["organs"]]
    assert (page.get_attribute("#chart svg g.highlight", "data-organs") or "").split() == shown
    assert page.input_value("#source") == "us-rok.scm" and page.input_value("#target") == "rok.designated-forces"
    shot(page, "paths-us-rok-1985-wartime")


def test_organs_selectable_by_keyboard(page: Page, server: str) -> None:
    open_page(page, server, "alliance=nato&as_of=2009&condition=armistice")
    page.focus("#chart g.organ[data-id='nato.nac']")
    page.keyboard.press("Enter")
    page.focus("#chart g.organ[data-id='nato.jfc-naples']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer[data-question=paths]")
    assert page.get_attribute("#answer", "data-connected") == "true"
    # "the very active and close linkage of the NAC to the MC and to the Strategic Commanders": the NAC
    # reaches SACEUR directly, then ACO, which SACEUR leads, and the JFC "Subordinate to ACO".
    assert page.eval_on_selector_all("#answer ol.chain[data-path='1'] li", "els => els.map(e => e.dataset.id)") == [
        "nato.nac",
        "nato.saceur",
        "nato.aco",
        "nato.jfc-naples",
    ]
    labels = page.eval_on_selector_all(
        "#chart g.organ", "els => els.every(e => e.getAttribute('tabindex') === '0' && e.getAttribute('aria-label'))"
    )
    assert labels is True


# ------------------------------------------------------------------------------------ compare


def test_compare_view_is_the_api_table(page: Page, server: str) -> None:
    open_page(page, server, "alliance=us-rok&as_of=2009&condition=armistice")
    page.click("#view-compare")
    page.wait_for_selector("#compare table")
    answer = api(server, "/compare", as_of=2009)
    for row in answer["rows"]:
        cells = page.eval_on_selector_all(
            f"#compare td[data-alliance='{row['alliance']}']", "els => els.map(e => e.textContent)"
        )
        assert cells[2] == str(row["organs"])
        # each verdict with its mark (issue 24): the cell as the API words it, never a bare yes or no
        assert cells[9] == row["cells"]["linkage_by_authority"]["text"]
        assert cells[11] == row["cells"]["coordination_only_linkage"]["text"]
    japan = page.eval_on_selector_all("#compare td[data-alliance='us-japan']", "els => els.map(e => e.textContent)")
    # 'the U.S.-Japan alliance has no “combined” structures' (line 196): stated by the paper, with its line
    assert japan[8] == japan[9] == "no (stated by the paper, line 196)"
    # the paper's indicators under the structure, each with its hedge and year
    services = "#compare td[data-alliance='us-japan'][data-measure='trade-with-services']"
    assert page.eval_on_selector(services, "e => e.textContent") == "near $300 bn, no year given"
    assert "view=compare" in page.url
    twins = dict(page.eval_on_selector_all("#compare-twins a", "els => els.map(e => [e.textContent, e.href])"))
    assert httpx.get(twins["compare CSV"]).headers["content-type"].startswith("text/csv")
    shot(page, "compare-2009")


def test_compare_view_sets_the_treaty_beside_practice(page: Page, server: str) -> None:
    """The compare view's second table is the API's treaty_practice rows: each cell its verdict, the treaty's
    values and practice (NATO 2009: intcom 0 beside ACO, 'practice only')."""
    open_page(page, server, "alliance=nato&as_of=2009")
    page.click("#view-compare")
    page.wait_for_selector("#compare table.treaty-practice")
    answer = api(server, "/compare", as_of=2009)
    shown = dict(
        page.eval_on_selector_all(
            "#compare table.treaty-practice td[data-provision]",
            "els => els.map(e => [e.dataset.alliance + ' ' + e.dataset.provision, e.dataset.verdict])",
        )
    )
    assert shown == {f"{r['alliance']} {r['provision']}": r["verdict"] for r in answer["treaty_practice"]}
    cell = "#compare td[data-alliance='nato'][data-provision='integrated-command']"
    text = page.eval_on_selector(cell, "e => e.textContent")
    assert text.startswith("practice only") and "intcom 0" in text and "ACO" in text and "atop-5.1" in text


# ------------------------------------------------------------------------------------ as drawn


@pytest.mark.parametrize("alliance", ["nato", "us-rok", "us-japan"])
def test_labels_fit_their_boxes_as_rendered(page: Page, server: str, alliance: str) -> None:
    """The boxes were sized with pure-Python font metrics; here the browser measures what it drew."""
    open_page(page, server, f"alliance={alliance}&as_of=2009&condition=armistice")
    misfits = page.evaluate(
        """() => {
            const out = [];
            const boxes = [];
            for (const g of document.querySelectorAll('#chart g.organ')) {
                const r = g.querySelector('rect.organ-box').getBBox();
                boxes.push([g.dataset.id, r]);
                for (const t of g.querySelectorAll('text')) {
                    const b = t.getBBox();
                    if (b.x < r.x - 0.5 || b.x + b.width > r.x + r.width + 0.5 ||
                        b.y < r.y - 0.5 || b.y + b.height > r.y + r.height + 0.5) {
                        out.push(g.dataset.id + ': ' + t.textContent);
                    }
                }
            }
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const [a, p] = boxes[i], [b, q] = boxes[j];
                if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height)
                    out.push('overlap ' + a + ' ' + b);
            }
            return out;
        }"""
    )
    assert misfits == []


# ------------------------------------------------------------------------------ what the page changed


def test_unknown_address_values_are_changed_with_a_notice(page: Page, server: str) -> None:
    """Issue 15: `/?alliance=us-korea&as_of=1900` must not silently become NATO 1949: the page says
    what it changed and why, and the address shows what is on screen."""
    open_page(page, server, "alliance=us-korea&as_of=1900&kinds=authority,command")
    notice = page.locator("#notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "alliance=us-korea is not an alliance of the roster" in text and "us-rok" in text
    assert "as_of=1900 is outside the years this page shows (1949 to 2015); showing 1949" in text
    assert "kinds: command is not an edge kind" in text
    assert page.locator("#alliance").input_value() == "nato" and page.locator("#year-out").inner_text() == "1949"
    assert "alliance=nato" in page.url and "as_of=1949" in page.url and "command" not in page.url


def test_an_alias_is_read_as_its_alliance_and_said(page: Page, server: str) -> None:
    open_page(page, server, "alliance=ROK&as_of=1985&condition=peacetime")
    text = page.locator("#notice").inner_text()
    assert "alliance=ROK is read as us-rok" in text and "condition=peacetime is read as armistice" in text
    assert page.locator("#alliance").input_value() == "us-rok"
    assert "us-rok.cfc" in shown_organs(page)  # "In 1978 ... the current Combined Forces Command (CFC)"


def test_a_valid_address_shows_no_notice(page: Page, server: str) -> None:
    open_page(page, server, "alliance=us-rok&as_of=1985&condition=armistice")
    assert not page.locator("#notice").is_visible()
