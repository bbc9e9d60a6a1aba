"""The network view and the report as files: self-contained, escaped, deterministic; the `viz` command and build steps.

These read the written HTML; tests/test_viz_browser.py opens the same pages in Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cnaikg.graph.report import main_explanation, report_html, report_data
from cnaikg.graph.viz import network_html, network_view, write_network_html
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
    assert set(one.vis_ids) == {"deepseek"} | {e.id for e in kg.neighbors("deepseek")}
    money = network_view(kg, relations="INVESTS_IN,OWNS", types=["company", "state_fund", "fund"])
    assert {r["name"] for r in money.legend_relations} <= {"INVESTS_IN", "OWNS"}
    assert {t["name"] for t in money.legend_types} <= {"company", "state_fund", "fund"}
    assert network_view(kg, as_of="2015-01-01").number_of_edges < network_view(kg).number_of_edges


def test_max_nodes_keeps_the_largest_and_says_what_was_left_out(kg):
    v = network_view(kg, max_nodes=40, size_by="degree")
    assert v.number_of_nodes == 40
    assert len(v.notes) == 1 and "Showing 40 of" in v.notes[0] and "smallest by degree" in v.notes[0]
    top = kg.best_connected(5, exclude_types=())
    assert all(e.id in v.vis_ids for e, _ in top)


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
    from cnaikg.graph.viz import SEED_COMPANIES

    a = run_build(out=tmp_path / "a", quiet=True, steps=["viz", "report"])
    b = run_build(out=tmp_path / "b", quiet=True, steps=["viz", "report"])
    names = sorted(p.name for p in a.written)
    assert "network.html" in names and "report.html" in names
    assert {f"network-{s}.html" for s in SEED_COMPANIES if s in a.kg} <= set(names)
    for p in a.written:
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), f"{p.name} differs between two builds"


def test_report_without_scores_ranks_by_pagerank(kg):
    d = report_data(kg)
    assert not d.scored and d.notes and len(d.rows) == 30
    assert [r.pagerank for r in d.rows] == sorted((r.pagerank for r in d.rows), reverse=True)
    html = report_html(kg)
    assert html.count("<circle") >= 30 and "Top 30 companies by PageRank" in html


def test_report_uses_scores_and_explanations_when_present(kg):
    pd = pytest.importorskip("pandas")
    ids = [e.id for e in kg.entities("company")]
    feats = pd.DataFrame({"policy_proximity": [i / len(ids) for i in range(len(ids))], "pagerank": [0.01] * len(ids)}, index=ids)
    expl = {ids[-1]: ["direct state equity 0.9: <b>Big Fund</b> owns 10%", "second line"]}
    d = report_data(kg, features=feats, explanations=expl)
    assert d.scored and d.rows[0].id == ids[-1] and d.rows[0].explanation.startswith("direct state equity")
    html = report_html(kg, features=feats, explanations=expl)
    assert "&lt;b&gt;Big Fund&lt;/b&gt;" in html and "<b>Big Fund</b>" not in html
    assert "Top 30 companies by policy proximity" in html


def test_main_explanation_reads_the_shapes_scoring_may_leave():
    assert main_explanation({"a": "one\ntwo"}, "a") == "one"
    assert main_explanation({"a": {"main": "m"}}, "a") == "m"
    assert main_explanation({"b": ["x"]}, "a") == ""
