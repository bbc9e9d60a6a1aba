"""The network views and the report opened in a real headless Chromium, offline: what a reader sees and does.

Every non-file request is blocked and recorded (none may be attempted), console
errors are collected (none allowed), and pages are judged on the live network
object. Screenshots go to tests/artifacts/ (gitignored) for a human to look at.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnaikg.graph.report import write_report
from cnaikg.graph.viz import write_network_html
from viz_fixtures import ARTIFACTS, HOSTILE_HEADING, HOSTILE_NAME, HOSTILE_ZH, browser, hostile_graph, open_page, synthetic_graph  # noqa: F401

pytestmark = pytest.mark.browser

TIMINGS: dict[str, dict] = {}


def record(name: str, path: Path, run) -> None:
    TIMINGS[name] = {"bytes": path.stat().st_size, "ready_ms": round(run.ready_ms), "wall_s": round(run.wall_s, 3)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "viz_timings.json").write_text(json.dumps(TIMINGS, indent=1, sort_keys=True))


def screen_xy(page, vis_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    return tuple(page.evaluate(
        """(id) => { const n = window.cnaikg.network, p = n.canvasToDOM(n.getPositions([id])[id]);
                     const r = document.getElementById('cn-network').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }""", vis_id))


def only_the_page_was_requested(run, path: Path) -> None:
    assert run.requests == [], f"the page tried to reach the network: {run.requests}"
    file_requests = run.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert file_requests == [], f"the page loaded more than itself: {file_requests}"


def test_whole_graph_view_offline(browser, kg, tmp_path):
    path = tmp_path / "network.html"
    view = write_network_html(kg, path)
    run = open_page(browser, path)
    page = run.page
    only_the_page_was_requested(run, path)
    assert run.console_errors == []
    assert page.evaluate("window.cnaikg.network instanceof vis.Network")
    assert page.evaluate("window.cnaikg.nodes.length") == view.number_of_nodes == kg.number_of_entities()
    assert page.evaluate("window.cnaikg.edges.length") == view.number_of_edges == kg.number_of_facts()
    # physics is off: the layout is stable from the first frame
    assert page.evaluate("window.cnaikg.network.physics.options.enabled") is False
    # legend: one checkbox per entity type and relationship type drawn
    assert page.locator("#cn-legend").is_visible()
    assert page.locator("input.cn-type").count() == len(view.legend_types) >= 5
    assert page.locator("input.cn-rel").count() == len(view.legend_relations) >= 5
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network.png"))
    record("curated", path, run)

    # search by ticker, Chinese name and alias focuses and selects the node
    ids = page.evaluate("window.cnaikg.ids")
    for query, entity in (("0981.HK", "smic"), ("阿里巴巴", "alibaba"), ("Moore Threads", "moore-threads")):
        page.fill("#cn-search", query)
        page.press("#cn-search", "Enter")
        assert page.evaluate("window.cnaikg.network.getSelectedNodes()") == [ids[entity]], query
        assert kg.entity(entity).name in page.locator("#cn-details-body").inner_text()
    page.fill("#cn-search", "no such company xyz")
    page.press("#cn-search", "Enter")
    assert "no entity matches" in page.locator("#cn-status").inner_text()

    # filters: hiding a type hides its nodes and the facts touching them
    page.uncheck("input.cn-type[value=person]")
    hidden = page.evaluate("window.cnaikg.nodes.get({filter: n => n.hidden}).length")
    assert hidden == len(kg.entities("person")) > 0
    page.uncheck("input.cn-rel[value=LOCATED_IN]")
    assert page.evaluate("window.cnaikg.edges.get({filter: e => e.hidden && e.rel === 'LOCATED_IN'}).length") == len(kg.facts("LOCATED_IN"))
    page.click("#cn-all")
    assert page.evaluate("window.cnaikg.nodes.get({filter: n => n.hidden}).length") == 0
    assert run.console_errors == []
    page.context.close()


def test_hostile_data_runs_nothing_even_on_hover_and_click(browser, tmp_path):
    path = tmp_path / "hostile.html"
    write_network_html(hostile_graph(), path, heading=HOSTILE_HEADING)
    run = open_page(browser, path)
    page = run.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == HOSTILE_HEADING, "the heading shows as the text written"
    ids = page.evaluate("window.cnaikg.ids")
    x, y = screen_xy(page, ids["evil-corp"])
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    text = tip.inner_text()
    assert HOSTILE_NAME in text and HOSTILE_ZH in text, "tooltips show the text as written, not &lt;"
    assert tip.locator("script, img, svg, b").count() == 0
    page.mouse.click(x, y)
    details = page.locator("#cn-details-body")
    assert HOSTILE_NAME in details.inner_text()
    assert page.locator("a[href^='javascript']").count() == 0, "a javascript: URL never becomes a link"
    assert page.locator("#cn-details-body a[href^='https://example.org']").count() == 0  # evil-corp cites only the bad source
    # hover the edge too (its properties carry an img onerror)
    gx, gy = screen_xy(page, ids["good-chips"])
    page.mouse.move((x + gx) / 2, (y + gy) / 2, steps=5)
    page.wait_for_timeout(400)
    page.mouse.click((x + gx) / 2, (y + gy) / 2)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    only_the_page_was_requested(run, path)
    assert run.console_errors == []
    page.context.close()


@pytest.mark.slow
def test_two_thousand_nodes_ready_in_under_five_seconds(browser, tmp_path):
    kg = synthetic_graph(2000)
    path = tmp_path / "big.html"
    view = write_network_html(kg, path)
    run = open_page(browser, path, timeout_ms=20_000)
    record("synthetic-2000", path, run)
    assert run.page.evaluate("window.cnaikg.nodes.length") == 2000 == view.number_of_nodes
    assert run.page.evaluate("window.cnaikg.edges.length") == view.number_of_edges > 2000
    assert run.wall_s < 5.0, f"2,000-node page took {run.wall_s:.1f} s to be ready"
    assert run.requests == [] and run.console_errors == []
    run.page.screenshot(path=str(ARTIFACTS / "network-2000.png"))
    run.page.context.close()


def test_report_offline_sortable_with_scatter(browser, kg, tmp_path):
    path = tmp_path / "report.html"
    write_report(kg, path)
    run = open_page(browser, path)
    page = run.page
    only_the_page_was_requested(run, path)
    assert run.console_errors == []
    assert page.locator("#rp-table tbody tr").count() == 30
    assert page.evaluate("window.cnaikg.nodes.length") > 5
    first = page.locator("#rp-table tbody tr").first.get_attribute("data-id")
    page.click("#rp-table th:nth-child(2)")  # sort by company name
    names = page.eval_on_selector_all("#rp-table tbody tr td:nth-child(2)", "tds => tds.map(t => t.getAttribute('data-v'))")
    assert names == sorted(names, key=lambda s: s.lower()) or names == sorted(names)
    page.click("#rp-table th:nth-child(1)")  # back to rank order, ascending
    assert page.locator("#rp-table tbody tr").first.get_attribute("data-id") == first
    page.click("#rp-table th:nth-child(1)")  # and descending
    assert page.locator("#rp-table tbody tr").last.get_attribute("data-id") == first
    titles = page.eval_on_selector_all("svg.rp-scatter circle title", "ts => ts.map(t => t.textContent)")
    assert len(titles) == len(kg.entities("company")) and any(kg.entity("smic").name in t for t in titles)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    record("report", path, run)
    page.context.close()
