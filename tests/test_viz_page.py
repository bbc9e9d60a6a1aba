"""The explorer pages and the report as files: self-contained, escaped, deterministic; the opening view, time rules,
ownership trees and the report's ranking checked against independent computations.

These read the written HTML and the records behind it; tests/test_viz_browser.py opens the same pages in Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cnaikg.graph.views.report import report_data, report_html
from cnaikg.graph.views.viz import fact_window, importance_ranks, network_html, network_view, start_entities, write_network_html
from conftest import run_cli
from viz_fixtures import HOSTILE_ALIAS, HOSTILE_HEADING, HOSTILE_NAME, HOSTILE_PUBLISHER, HOSTILE_ZH, hostile_graph



def page_data(html: str) -> dict:
    """The JSON block the page script reads (the only way data enters the page)."""
    m = re.search(r'<script type="application/json" id="cn-data">(.*?)</script>', html, re.S)
    assert m, "the page has no data block"
    return json.loads(m.group(1))


def own_script(html: str) -> str:
    """cnaikg's page script: everything after the data block (vis-network's library comes before it)."""
    return html.split('id="cn-data">', 1)[1]


# ---------------------------------------------------------------- the pyvis holes stay closed
def test_page_is_self_contained_no_cdn_no_external_tag(kg):
    html = network_html(kg)
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.I), "an element loads something from outside the file"
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "bootstrap", "tom-select"):
        assert host not in html.lower(), f"the page still mentions {host}"
    import pyvis

    vis_js = (Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")
    assert vis_js in html, "vis-network is inlined from pyvis' package"
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_hostile_strings_never_become_markup():
    html = network_html(hostile_graph(), heading=HOSTILE_HEADING)
    for s in (HOSTILE_NAME, HOSTILE_ZH, HOSTILE_ALIAS, HOSTILE_PUBLISHER, HOSTILE_HEADING, "<script>window", "<img src=x", "<svg onload"):
        assert s not in html, f"{s!r} reached the page unescaped"
    assert "&lt;/title&gt;&lt;script&gt;" in html, "the heading is autoescaped text"
    data = page_data(html)
    names = {n["tip"]["name"] for n in data["nodes"]}
    assert HOSTILE_NAME in names, "the data itself is kept verbatim (shown as text, not as &lt;)"


def test_link_tooltip_template_is_never_used():
    # pyvis 0.3.2 switches to a template setting tooltips with innerHTML as soon as a tooltip contains "href"
    html = network_html(hostile_graph())
    assert "href" in HOSTILE_PUBLISHER
    script = own_script(html)
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script and "eval(" not in script
    assert "popup.innerHTML" not in html and 'class="popup"' not in html
    assert "textContent" in script


def test_node_and_edge_ids_are_opaque():
    data = page_data(network_html(hostile_graph()))
    assert all(re.fullmatch(r"n\d+", n["id"]) for n in data["nodes"])
    assert all(re.fullmatch(r"e\d+", e["id"]) for e in data["edges"])
    assert "<select" not in network_html(hostile_graph()), "no pyvis select menu listing raw node ids"


def test_same_graph_same_bytes_across_processes(tmp_path):
    # two processes with different hash seeds: no set order may leak into the layout or the page
    for seed in ("1", "2"):
        run_cli("viz", "--out", str(tmp_path / f"{seed}.html"), "--focus", "smic", "--hops", "2", check=True, env={"PYTHONHASHSEED": seed})
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


# ---------------------------------------------------------------- what is drawn
def test_focus_hops_types_relations_and_as_of(kg):
    one = network_view(kg, focus="deepseek", hops=1)
    two = network_view(kg, focus="DeepSeek", hops=2)
    assert one.vis_ids["deepseek"] == "n0" and 1 < one.number_of_nodes < two.number_of_nodes
    ids = {v: k for k, v in one.vis_ids.items()}
    assert {ids[v] for v in one.start} == {"deepseek"} | {e.id for e in kg.neighbors("deepseek")}
    assert one.embedded_nodes == kg.number_of_entities(), "the whole graph is embedded, one double-click away"
    money = network_view(kg, relations="INVESTS_IN,OWNS", types=["company", "state_fund", "fund"])
    assert {r["name"] for r in money.legend_relations} <= {"INVESTS_IN", "OWNS"}
    assert {t["name"] for t in money.legend_types} <= {"company", "state_fund", "fund"}
    then = network_view(kg, as_of="2015-01-01", max_nodes=10_000)
    assert then.number_of_edges == kg.as_of("2015-01-01").number_of_facts() - sum(
        1 for f in kg.as_of("2015-01-01").facts() if f.subject not in set(then.vis_ids) or f.object not in set(then.vis_ids))


def test_the_whole_graph_opens_on_the_most_important_linked_entities(kg):
    v = network_view(kg)
    ranks = importance_ranks(kg)
    ids = {vis: k for k, vis in v.vis_ids.items()}
    opened = [ids[x] for x in v.start]
    assert len(opened) == 60 and v.notes and "Opened on 60 of" in v.notes[0]
    # the rule, computed independently: PageRank over the undirected simple graph, entities with at least one fact
    import networkx as nx

    U = nx.Graph()
    U.add_nodes_from(kg.G.nodes)
    U.add_edges_from((a, b) for a, b in kg.G.edges() if a != b)
    pr = nx.pagerank(U, tol=1e-10, max_iter=2000)
    expected = sorted((k for k in U if kg.G.degree(k) > 0), key=lambda k: (-round(pr[k], 12), k))[:60]
    assert opened == expected
    assert all(ranks[a] < ranks[b] for a, b in zip(opened, opened[1:]))
    # as of 2023 the page opens only on entities with a fact then (no canvas spent on unconnected ones)
    then = kg.as_of("2023-01-01")
    old = start_entities(kg, ranks, date="2023-01-01")
    assert old and all(then.G.degree(k) > 0 for k in old)


def test_max_nodes_keeps_the_most_important_and_says_what_was_left_out(kg):
    v = network_view(kg, max_nodes=40, size_by="degree")
    assert v.number_of_nodes == 40 and v.embedded_nodes == kg.number_of_entities()
    assert len(v.notes) == 1 and "Opened on 40 of" in v.notes[0] and "Double-click" in v.notes[0]
    ranks = importance_ranks(kg)
    ids = {vis: k for k, vis in v.vis_ids.items()}
    assert max(ranks[ids[x]] for x in v.start) == 39


def test_the_focus_is_marked_and_largest(kg):
    v = network_view(kg, focus="deepseek", hops=2, max_nodes=150)
    focus = next(n for n in v.nodes if n["id"] == v.vis_ids["deepseek"])
    assert focus["borderWidth"] == 5 and focus["color"]["border"] == "#c0392b"
    assert focus["size"] > max(n["size"] for n in v.nodes if n is not focus)
    assert v.rule["focus"] == focus["id"] and v.rule["hops"] == 2 and v.rule["cap"] == 150


@pytest.mark.parametrize("since,until,published", [
    ("2020", "", "2020-05-01"), ("2020-03", "2024", "2021"), ("2020-03-15", "2024-05", "2020-03"), ("", "2023-06-30", "2019"),
    ("2024-02", "2024-02-29", "2024-02-10"), ("", "", ""),
])
def test_fact_window_is_exactly_the_as_of_rule(since, until, published):
    """The page decides with (valid from, valid until, known from); kg.as_of decides with valid_on and known_since: they must agree every day."""
    import datetime as dt

    from cnaikg.graph import Fact, KnowledgeGraph, Source
    from viz_fixtures import make_entity

    src = (Source("s", "https://example.org", "P", published),) if published else ()
    f = Fact.create("a", "OWNS", "b", since=since, until=until, sources=src)
    kg1 = KnowledgeGraph([make_entity("a"), make_entity("b")], [f])
    vf, vt, kn = fact_window(f)
    day = dt.date(2019, 1, 1)
    while day < dt.date(2025, 6, 1):
        d = day.isoformat()
        page = (vf is None or vf <= d) and (vt is None or d < vt) and kn is not None and kn <= d
        assert page == (kg1.as_of(day).number_of_facts() == 1), (since, until, published, d)
        day += dt.timedelta(days=3 if day.day < 25 else 1)


def test_ownership_trees_agree_with_look_through_ownership(kg):
    from cnaikg.graph.views.viz import ownership_trees
    from cnaikg.queries.exposure import export_control_exposure
    from cnaikg.queries.ownership import look_through_ownership

    trees = ownership_trees(kg)
    smic = trees["smic"]
    eff = look_through_ownership(kg, holders=[o["id"] for o in smic["owners"]]).query("entity == 'smic'").set_index("holder")
    for o in smic["owners"]:
        assert o["effective"] == f"{eff.loc[o['id'], 'effective'] * 100:.4g}%"
        assert o["fact"], "every holding names the fact behind it"
    ex = export_control_exposure(kg)
    for cid, t in trees.items():
        assert t["affiliates"]["covered"] == bool(ex.loc[cid, "affiliate_rule_covered"])


def test_legend_colours_and_shapes_come_from_the_ontology(kg):
    v = network_view(kg)
    onto = kg.ontology
    for t in v.legend_types:
        assert t["color"] == onto.entity_type(t["name"]).color and t["shape"] == onto.entity_type(t["name"]).shape
    for r in v.legend_relations:
        assert r["color"] == onto.relation(r["name"]).color


def test_wrong_options_say_how_to_fix(kg, tmp_path):
    from cnaikg.errors import KGError

    with pytest.raises(KGError, match="known: "):
        network_view(kg, types="startups")
    with pytest.raises(KGError, match="use one of"):
        network_view(kg, size_by="beauty")
    with pytest.raises(KGError, match=r"\.html"):
        write_network_html(kg, tmp_path / "x.png")


# ---------------------------------------------------------------- the command and the build
def test_viz_command_on_the_mini_dataset(mini, tmp_path):
    out = tmp_path / "acme.html"
    proc = run_cli("viz", "--data", str(mini), "--out", str(out), "--focus", "Acme AI", "--hops", "2", check=True)
    assert out.exists() and "wrote" in proc.stdout and "entities" in proc.stdout
    proc = run_cli("viz", "--data", str(mini), "--out", str(tmp_path / "x.html"), "--relations", "OWNED_BY")
    assert proc.returncode == 2 and "unknown relationship type 'OWNED_BY'" in proc.stderr and "Traceback" not in proc.stderr


def test_build_steps_write_views_and_report_byte_identically(tmp_path):
    from cnaikg.build import run_build
    from cnaikg.graph.views.viz import SEED_COMPANIES

    a = run_build(out=tmp_path / "a", quiet=True, steps=["viz", "report"])
    b = run_build(out=tmp_path / "b", quiet=True, steps=["viz", "report"])
    names = sorted(p.name for p in a.written)
    assert "network.html" in names and "report.html" in names
    assert {f"network-{s}.html" for s in SEED_COMPANIES if s in a.kg} <= set(names)
    for p in a.written:
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), f"{p.name} differs between two builds"


def test_report_ranks_what_the_build_prints_and_keeps_its_promises(kg, tmp_path):
    from cnaikg.build import run_build
    from cnaikg.queries.ranking import ranked_companies

    ctx = run_build(out=tmp_path, quiet=True, steps=["features"])
    printed = [line.split()[1] for line in ctx.results["summary_lines"] if line.startswith("  ")]
    d = report_data(kg, features=ctx.results["features"])
    assert [r.id for r in d.rows[:len(printed)]] == printed, "the report's top list is the list `cnaikg build` prints"
    assert [r.id for r in d.rows] == list(ranked_companies(ctx.results["features"]).index[:30])
    assert d.counts["companies"] == len(ranked_companies(ctx.results["features"]))
    state = {"china-development-bank-capital", "cdb-capital"} & {e.id for e in kg.entities()}
    assert not state & {r.id for r in d.rows}, "state financing vehicles are the state side, not ranked companies"
    html = report_html(kg, features=ctx.results["features"])
    assert html.count('class="rp-label"') == 10 and "The top 10 are labelled" in html
    assert "Top 30 companies by policy proximity" in html


def test_report_explanations_are_written_for_a_reader(kg):
    d = report_data(kg)
    for r in d.rows[:10]:
        assert r.explanation.startswith(("Mainly ", "No tie")), r.explanation
        assert "_" not in r.explanation.split(":")[0], "no internal names in the reason"
        assert "-[" not in r.explanation and "]->" not in r.explanation
    first = d.rows[0]
    assert kg.entity(first.id).name in first.explanation and first.evidence
    assert all(e["url"].startswith(("http://", "https://")) or e["url"] == "" for r in d.rows for e in r.evidence)


def test_report_escapes_hostile_names(tmp_path):
    html = report_html(hostile_graph())
    for s in (HOSTILE_NAME, HOSTILE_ZH, "<script>window"):
        assert s not in html
    assert 'href="javascript' not in html
