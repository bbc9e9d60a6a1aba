"""Fixtures for the network-view and report tests: a real headless Chromium, hostile and synthetic graphs.

The browser is Debian's chromium driven by Playwright (no browser download).
Every request that is not a file: URL is blocked and recorded, console errors
and page errors are collected, and ``open_page`` waits for the page's own ready
flag (set after the first drawing: positions come from Python, physics is off).
"""

from __future__ import annotations

import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from cnaikg.graph import KnowledgeGraph, load_ontology
from cnaikg.graph.model import Entity, Fact, Source

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"

#: Strings that would run script if any of them ever became markup; each sets window.__pwned.
HOSTILE_NAME = '<script>window.__pwned="script-tag"</script>Evil <b>Corp</b>'
HOSTILE_ZH = '<img src=x onerror="window.__pwned=\'img-onerror\'">恶意公司'
HOSTILE_ALIAS = '"><svg onload="window.__pwned=\'svg-onload\'">'
HOSTILE_URL = "javascript:window.__pwned='javascript-link'"
HOSTILE_PUBLISHER = "<a href=\"javascript:window.__pwned='a-href'\">href trap</a>"
HOSTILE_HEADING = '</title><script>window.__pwned="heading"</script>'


@dataclass
class PageRun:
    """A page opened in Chromium with what happened while it loaded."""

    page: Any
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    ready_ms: float = 0.0
    wall_s: float = 0.0


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium for the session (skips when chromium or playwright is missing)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed: run `apt-get install -y chromium` (make test does it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=CHROMIUM_FLAGS)
        yield b
        b.close()


def open_page(browser: Any, path: Path, *, ready: str = "window.cnaikgReady === true", timeout_ms: int = 30_000,
              viewport: tuple[int, int] = (1400, 900)) -> PageRun:
    """Open ``path`` offline: block and record every non-file request, collect console errors, wait until ``ready``."""
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    run = PageRun(page)

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            run.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: run.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: run.console_errors.append(f"page error: {e}"))
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function(ready, timeout=timeout_ms)
    run.wall_s = time.perf_counter() - t0
    run.ready_ms = float(page.evaluate("window.cnaikgReadyMs || performance.now()"))
    return run


def make_entity(id: str, type: str = "company", name: str | None = None, **kw: Any) -> Entity:
    """One-line factory for test entities."""
    return Entity(id=id, type=type, name=name or id.replace("-", " ").title(), **kw)


def hostile_graph() -> KnowledgeGraph:
    """A small graph whose names, aliases and sources carry script tags, img onerror and javascript: links.

    Evil Corp owns 90% of Fund A, which owns 60% of Good Chips (an ownership tree two levels deep), and is on a list.
    """
    good = Source("good", "https://example.org/ok", "Example News", "2024-05-01", "A fine article")
    bad = Source("bad", HOSTILE_URL, HOSTILE_PUBLISHER, "2024-06-01", '<script>window.__pwned="title"</script>')
    ents = [
        make_entity("evil-corp", name=HOSTILE_NAME, name_zh=HOSTILE_ZH, aliases=(HOSTILE_ALIAS, "EVIL"), category="model_lab",
                    identifiers={"tickers": ["6666.HK"]}, sources=(bad,)),
        make_entity("good-chips", name="Good Chips", name_zh="好芯片", category="chip_design", sources=(good,)),
        make_entity("fund-a", "state_fund", "Fund A <i>italic</i>", category="central"),
        make_entity("hkex", "exchange", "Hong Kong Exchange"),
        make_entity("us-entity-list", "sanctions_list", '<script>window.__pwned="list"</script>List'),
    ]
    facts = [
        Fact.create("good-chips", "SUPPLIES", "evil-corp", since="2024", properties={"goods": '<img src=x onerror="window.__pwned=\'prop\'">'},
                    sources=(bad, good), confidence="low"),
        Fact.create("fund-a", "INVESTS_IN", "evil-corp", since="2024-03", properties={"round": "Series A"}, sources=(good,)),
        Fact.create("evil-corp", "LISTED_ON", "hkex", since="2024-06", properties={"ticker": "6666.HK"}, sources=(bad,)),
        Fact.create("fund-a", "OWNS", "good-chips", since="2024-01", properties={"stake_pct": 60}, sources=(bad, good)),
        Fact.create("evil-corp", "OWNS", "fund-a", since="2024-02", properties={"stake_pct": 90}, sources=(bad,)),
        Fact.create("evil-corp", "ON_LIST", "us-entity-list", since="2024-05", sources=(bad,)),
    ]
    return KnowledgeGraph(ents, facts, load_ontology())


def synthetic_graph(n: int = 2000, *, avg_degree: float = 3.0, seed: int = 11) -> KnowledgeGraph:
    """``n`` entities of every ontology type joined by about ``n * avg_degree / 2`` facts whose types fit the ontology."""
    rng = random.Random(seed)
    onto = load_ontology()
    types = list(onto.entity_types)
    ents = [make_entity(f"e{i:05d}", types[i % len(types)], f"Entity {i}", name_zh=f"实体{i}",
                        identifiers={"tickers": [f"{i:04d}.HK"]} if types[i % len(types)] == "company" else {}) for i in range(n)]
    by_type: dict[str, list[Entity]] = {}
    for e in ents:
        by_type.setdefault(e.type, []).append(e)
    rels = list(onto.relation_types.values())
    src = Source("s", "https://example.org/s", "Example", "2024-01-01")
    facts, seen = [], set()
    target = int(n * avg_degree / 2)
    tries = 0
    while len(facts) < target and tries < target * 50:
        tries += 1
        rt = rng.choice(rels)
        a = rng.choice(by_type.get(rng.choice(rt.domain), []) or [None])
        b = rng.choice(by_type.get(rng.choice(rt.range), []) or [None])
        if a is None or b is None or a.id == b.id or (a.id, rt.name, b.id) in seen:
            continue
        seen.add((a.id, rt.name, b.id))
        facts.append(Fact.create(a.id, rt.name, b.id, since="2020", sources=(src,)))
    return KnowledgeGraph(ents, facts, onto)
