"""A differential suite: analyst-style Cypher on the real bundled server, each answer checked against networkx.

The independent side never touches the store: it rebuilds a networkx
MultiDiGraph from the exchange format (``kg.to_node_link()``, the content of
out/graph.json) and computes each answer with plain Python and networkx
algorithms. One server for the whole session (``curated_server``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from typing import Any, Callable

import networkx as nx
import pytest

pytestmark = pytest.mark.bolt


@pytest.fixture(scope="module")
def G(kg) -> nx.MultiDiGraph:
    data = kg.to_node_link()
    g = nx.MultiDiGraph()
    for n in data["nodes"]:
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for link in data["links"]:
        attrs = {k: v for k, v in link.items() if k != "key"}
        g.add_edge(link["source"], link["target"], link["key"], fid=link["key"], **attrs)
    return g


def start(text: str | None) -> dt.date | None:
    """First day of a partial date (how the store and kg.as_of read since)."""
    if not text:
        return None
    y, *rest = text.split("-")
    return dt.date(int(y), int(rest[0]) if rest else 1, int(rest[1]) if len(rest) > 1 else 1)


def exclusive_end(text: str | None) -> dt.date | None:
    """First day a fact with this ``until`` no longer holds."""
    if not text:
        return None
    parts = text.split("-")
    if len(parts) == 3:
        return start(text)
    y = int(parts[0])
    if len(parts) == 1:
        return dt.date(y + 1, 1, 1)
    m = int(parts[1])
    return dt.date(y + (m == 12), m % 12 + 1, 1)


def nodes_of(G, t):
    return sorted(n for n, d in G.nodes(data=True) if d["type"] == t)


def edges(G, *types):
    return [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if not types or d["type"] in types]


def typed(G, *types) -> nx.MultiDiGraph:
    h = nx.MultiDiGraph()
    h.add_nodes_from(G.nodes)
    for u, v, d in edges(G, *types):
        h.add_edge(u, v, key=d["fid"])
    return h


def undirected_len(G, a, b, without=()):
    h = nx.Graph(G.to_undirected(as_view=True))
    h.remove_nodes_from(without)
    try:
        return nx.shortest_path_length(h, a, b)
    except nx.NetworkXNoPath:
        return None


def within(G, source, hops, *types, reverse=False):
    h = typed(G, *types)
    h = h.reverse(copy=False) if reverse else h
    return sorted(n for n, d in nx.single_source_shortest_path_length(h, source, cutoff=hops).items() if 0 < d)


def trails(G, a, length, *types, direction="out"):
    """Trails (paths with distinct relationships, Cypher's rule) of exactly ``length`` from ``a``: lists of edge dicts."""
    out = []

    def step(node, used, path):
        if len(path) == length:
            out.append(list(path))
            return
        cand = []
        if direction in ("out", "both"):
            cand += [(v, d) for _, v, d in G.out_edges(node, data=True)]
        if direction in ("in", "both"):
            cand += [(u, d) for u, _, d in G.in_edges(node, data=True)]
        for nxt, d in cand:
            if (types and d["type"] not in types) or d["fid"] in used:
                continue
            step(nxt, used | {d["fid"]}, path + [d])
    step(a, frozenset(), [])
    return out


def rows(result, *cols):
    return sorted(tuple(_hashable(r[c]) for c in cols) for r in result)


def _hashable(v):
    return tuple(_hashable(x) for x in v) if isinstance(v, list) else v


Q: list[tuple[str, str, dict[str, Any], Callable[..., Any], Callable[..., Any]]] = []


def case(name: str, cypher: str, params: dict[str, Any] | None = None):
    """Register a query; the decorated function computes the expected answer from (G, kg); ``got`` shapes the rows."""
    def wrap(expect):
        cols = expect.__doc__.split() if expect.__doc__ else []
        Q.append((name, cypher, params or {}, expect, lambda res: rows(res, *cols)))
        return expect
    return wrap


# ------------------------------------------------------------------ labels and properties
@case("count per type", "MATCH (n:Entity) RETURN n.type AS t, count(*) AS c")
def _(G, kg):
    "t c"
    return sorted(Counter(d["type"] for _, d in G.nodes(data=True)).items())


def _label_case(t: str, label: str) -> None:
    def expect(G, kg):
        "id"
        return [(n,) for n in nodes_of(G, t)]
    case(f"label {label}", f"MATCH (n:{label}) RETURN n.id AS id")(expect)


for _t, _label in [("etf", "ETF"), ("state_fund", "StateFund"), ("program", "Program"), ("government_body", "GovernmentBody"),
                   ("research_lab", "ResearchLab"), ("sanctions_list", "SanctionsList")]:
    _label_case(_t, _label)


@case("relationships per type", "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")
def _(G, kg):
    "t c"
    return sorted(Counter(d["type"] for *_, d in edges(G)).items())


@case("tickers", "MATCH (n:Entity) WHERE size(n.tickers) > 0 RETURN n.id AS id, n.tickers AS tickers")
def _(G, kg):
    "id tickers"
    return sorted((n, tuple(d["identifiers"].get("tickers") or [])) for n, d in G.nodes(data=True) if d["identifiers"].get("tickers"))


@case("chinese names", "MATCH (n:Entity) WHERE n.name_zh IS NOT NULL RETURN count(n) AS c")
def _(G, kg):
    "c"
    return [(sum(1 for _, d in G.nodes(data=True) if d.get("name_zh")),)]


@case("one node", "MATCH (n:Entity {id: 'smic'}) RETURN n.name AS name, n.type AS type")
def _(G, kg):
    "name type"
    return [(G.nodes["smic"]["name"], G.nodes["smic"]["type"])]


@case("starts with", "MATCH (n:Entity) WHERE n.name STARTS WITH 'China' RETURN n.id AS id")
def _(G, kg):
    "id"
    return sorted((n,) for n, d in G.nodes(data=True) if d["name"].startswith("China"))


@case("contains", "MATCH (n:Entity) WHERE toLower(n.name) CONTAINS 'bank' RETURN n.id AS id")
def _(G, kg):
    "id"
    return sorted((n,) for n, d in G.nodes(data=True) if "bank" in d["name"].lower())


@case("skip limit", "MATCH (n:Company) RETURN n.id AS id ORDER BY id SKIP 5 LIMIT 5")
def _(G, kg):
    "id"
    return [(n,) for n in nodes_of(G, "company")[5:10]]


# ------------------------------------------------------------------ direct relationships
@case("out degree top", "MATCH (n:Entity)-[r]->() WITH n, count(r) AS c ORDER BY c DESC, n.id LIMIT 10 RETURN n.id AS id, c")
def _(G, kg):
    "id c"
    return sorted(sorted(((n, d) for n, d in G.out_degree() if d), key=lambda x: (-x[1], x[0]))[:10])


@case("in degree top", "MATCH (n:Entity)<-[r]-() WITH n, count(r) AS c ORDER BY c DESC, n.id LIMIT 10 RETURN n.id AS id, c")
def _(G, kg):
    "id c"
    return sorted(sorted(((n, d) for n, d in G.in_degree() if d), key=lambda x: (-x[1], x[0]))[:10])


@case("degree of smic", "MATCH (n:Entity {id: 'smic'})-[r]-() RETURN count(r) AS c")
def _(G, kg):
    "c"
    return [(G.degree("smic"),)]


@case("suppliers of smic", "MATCH (a)-[:SUPPLIES]->(:Entity {id: 'smic'}) RETURN a.id AS id")
def _(G, kg):
    "id"
    return sorted((u,) for u, v, d in edges(G, "SUPPLIES") if v == "smic")


@case("customers of smic", "MATCH (:Entity {id: 'smic'})-[:SUPPLIES]->(b) RETURN b.id AS id")
def _(G, kg):
    "id"
    return sorted((v,) for u, v, d in edges(G, "SUPPLIES") if u == "smic")


@case("big stakes", "MATCH (a)-[r:INVESTS_IN|OWNS]->(b) WHERE r.stake_pct > 10 RETURN a.id AS a, b.id AS b, r.stake_pct AS s")
def _(G, kg):
    "a b s"
    return sorted((u, v, d["properties"]["stake_pct"]) for u, v, d in edges(G, "INVESTS_IN", "OWNS")
                  if d["properties"].get("stake_pct") is not None and d["properties"]["stake_pct"] > 10)


@case("stake sum per owner", "MATCH (a)-[r:OWNS]->() WHERE r.stake_pct IS NOT NULL RETURN a.id AS a, round(sum(r.stake_pct) * 1000) AS s")
def _(G, kg):
    "a s"
    acc: dict[str, float] = defaultdict(float)
    for u, v, d in edges(G, "OWNS"):
        if d["properties"].get("stake_pct") is not None:
            acc[u] += d["properties"]["stake_pct"]
    return sorted((a, float(round(x * 1000))) for a, x in acc.items())  # sums in thousandths: addition order differs


@case("entity list", "MATCH (c)-[:ON_LIST]->(:Entity {id: 'us-entity-list'}) RETURN DISTINCT c.id AS id")
def _(G, kg):
    "id"
    return sorted({(u,) for u, v, d in edges(G, "ON_LIST") if v == "us-entity-list"})


@case("listings per exchange", "MATCH ()-[:LISTED_ON]->(x:Exchange) RETURN x.id AS x, count(*) AS c")
def _(G, kg):
    "x c"
    return sorted(Counter(v for u, v, d in edges(G, "LISTED_ON") if G.nodes[v]["type"] == "exchange").items())


@case("hkex tickers", "MATCH (c)-[l:LISTED_ON]->(:Exchange {id: 'hkex'}) RETURN c.id AS c, l.ticker AS t")
def _(G, kg):
    "c t"
    return sorted((u, d["properties"].get("ticker")) for u, v, d in edges(G, "LISTED_ON") if v == "hkex")


# ------------------------------------------------------------------ variable-length paths
@case("upstream of bytedance", "MATCH (s)-[:SUPPLIES*1..2]->(:Entity {id: 'bytedance'}) RETURN DISTINCT s.id AS id")
def _(G, kg):
    "id"
    return [(n,) for n in within(G, "bytedance", 2, "SUPPLIES", reverse=True) if n != "bytedance"]


@case("downstream of smic", "MATCH (:Entity {id: 'smic'})-[:SUPPLIES*1..4]->(c) WHERE c.id <> 'smic' RETURN DISTINCT c.id AS id")
def _(G, kg):
    "id"
    return [(n,) for n in within(G, "smic", 4, "SUPPLIES")]


@case("funders of moonshot", "MATCH (f)-[:INVESTS_IN|OWNS|FUNDS*1..3]->(:Entity {id: 'moonshot-ai'}) WHERE f.id <> 'moonshot-ai' RETURN DISTINCT f.id AS id")
def _(G, kg):
    "id"
    return [(n,) for n in within(G, "moonshot-ai", 3, "INVESTS_IN", "OWNS", "FUNDS", reverse=True)]


@case("two hops around deepseek", "MATCH (a:Entity {id: 'deepseek'})-[*1..2]-(b) WHERE b <> a RETURN DISTINCT b.id AS id")
def _(G, kg):
    "id"
    h = nx.Graph(G.to_undirected(as_view=True))
    return sorted((n,) for n, d in nx.single_source_shortest_path_length(h, "deepseek", cutoff=2).items() if d > 0)


@case("partners of partners", "MATCH (a:Entity {id: 'baidu'})-[:PARTNERS_WITH*2..2]-(b) WHERE b <> a AND NOT (a)-[:PARTNERS_WITH]-(b) RETURN DISTINCT b.id AS id")
def _(G, kg):
    "id"
    h = nx.Graph()
    h.add_edges_from((u, v) for u, v, d in edges(G, "PARTNERS_WITH"))
    direct = set(h["baidu"]) if "baidu" in h else set()
    two = {c for b in direct for c in h[b]}
    return sorted((n,) for n in two - direct - {"baidu"})


@case("path count big fund ii", "MATCH p = (:Entity {id: 'big-fund-ii'})-[:INVESTS_IN|OWNS*1..2]->() RETURN count(p) AS c")
def _(G, kg):
    "c"
    return [(len(trails(G, "big-fund-ii", 1, "INVESTS_IN", "OWNS")) + len(trails(G, "big-fund-ii", 2, "INVESTS_IN", "OWNS")),)]


@case("two-hop funding chains into smic",
      "MATCH p = (f)-[:INVESTS_IN|OWNS|FUNDS*2..2]->(:Entity {id: 'smic'}) RETURN [n IN nodes(p) | n.id] AS ids, [r IN relationships(p) | type(r)] AS types")
def _(G, kg):
    "ids types"
    out = []
    for path in trails(G, "smic", 2, "INVESTS_IN", "OWNS", "FUNDS", direction="in"):
        ids = (path[1]["source"], path[0]["source"], "smic")
        out.append((ids, (path[1]["type"], path[0]["type"])))
    return sorted(out)


# ------------------------------------------------------------------ shortest paths
@case("shortest deepseek smic", "MATCH (a:Entity {id: 'deepseek'}), (b:Entity {id: 'smic'}) MATCH p = shortestPath((a)-[*..8]-(b)) RETURN length(p) AS l")
def _(G, kg):
    "l"
    return [(undirected_len(G, "deepseek", "smic"),)]


@case("shortest several pairs",
      "UNWIND $pairs AS pr MATCH (a:Entity {id: pr[0]}), (b:Entity {id: pr[1]}) MATCH p = shortestPath((a)-[*..8]-(b)) RETURN pr[0] AS a, pr[1] AS b, length(p) AS l",
      {"pairs": [["moonshot-ai", "big-fund-ii"], ["zhipu-ai", "us-entity-list"], ["cambricon", "tsinghua"], ["alibaba", "smic"], ["baidu", "huawei"]]})
def _(G, kg):
    "a b l"
    pairs = [["moonshot-ai", "big-fund-ii"], ["zhipu-ai", "us-entity-list"], ["cambricon", "tsinghua"], ["alibaba", "smic"], ["baidu", "huawei"]]
    return sorted((a, b, undirected_len(G, a, b)) for a, b in pairs if undirected_len(G, a, b) is not None)


@case("directed supply shortest", "MATCH (a:Entity {id: 'asml'}), (b:Entity {id: 'bytedance'}) MATCH p = shortestPath((a)-[:SUPPLIES*..8]->(b)) RETURN length(p) AS l")
def _(G, kg):
    "l"
    h = typed(G, "SUPPLIES")
    try:
        return [(nx.shortest_path_length(h, "asml", "bytedance"),)]
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []


@case("all shortest paths count", "MATCH (a:Entity {id: 'moonshot-ai'}), (b:Entity {id: 'smic'}) MATCH p = allShortestPaths((a)-[*..8]-(b)) RETURN count(p) AS c")
def _(G, kg):
    "c"
    und = nx.Graph(G.to_undirected(as_view=True))
    mult = Counter(frozenset((u, v)) for u, v, _ in edges(G))
    total = 0
    for path in nx.all_shortest_paths(und, "moonshot-ai", "smic"):
        n = 1
        for u, v in zip(path, path[1:]):
            n *= mult[frozenset((u, v))]
        total += n
    return [(total,)]


@case("shortest avoiding a node (the documented rewrite)",
      "MATCH p = (a:Entity {id: 'moonshot-ai'})-[*..3]-(b:Entity {id: 'smic'}) WHERE none(n IN nodes(p) WHERE n.id = 'beijing') "
      "RETURN length(p) AS l ORDER BY l LIMIT 1")
def _(G, kg):
    "l"
    n = undirected_len(G, "moonshot-ai", "smic", without=("beijing",))
    return [(n,)] if n is not None and n <= 3 else []


# ------------------------------------------------------------------ OPTIONAL MATCH
@case("exchanges with listings", "MATCH (x:Exchange) OPTIONAL MATCH (c)-[:LISTED_ON]->(x) RETURN x.id AS x, count(c) AS c")
def _(G, kg):
    "x c"
    return sorted((x, sum(1 for u, v, d in edges(G, "LISTED_ON") if v == x)) for x in nodes_of(G, "exchange"))


@case("model labs with suppliers", "MATCH (c:Company {category: 'model_lab'}) OPTIONAL MATCH (s)-[:SUPPLIES]->(c) RETURN c.id AS c, count(s) AS n")
def _(G, kg):
    "c n"
    labs = [n for n, d in G.nodes(data=True) if d["type"] == "company" and d.get("category") == "model_lab"]
    return sorted((c, sum(1 for u, v, d in edges(G, "SUPPLIES") if v == c)) for c in labs)


@case("state fund portfolios", "MATCH (f:StateFund) OPTIONAL MATCH (f)-[r:INVESTS_IN|OWNS]->(c) RETURN f.id AS f, count(DISTINCT c) AS n")
def _(G, kg):
    "f n"
    return sorted((f, len({v for u, v, d in edges(G, "INVESTS_IN", "OWNS") if u == f})) for f in nodes_of(G, "state_fund"))


# ------------------------------------------------------------------ aggregation with grouping
@case("by subject type and relation", "MATCH (a)-[r]->() RETURN a.type AS t, type(r) AS r, count(*) AS c")
def _(G, kg):
    "t r c"
    return sorted((k[0], k[1], c) for k, c in Counter((G.nodes[u]["type"], d["type"]) for u, v, d in edges(G)).items())


@case("average stake per relation", "MATCH ()-[r]->() WHERE r.stake_pct IS NOT NULL RETURN type(r) AS t, round(avg(r.stake_pct) * 1000) AS a")
def _(G, kg):
    "t a"
    acc = defaultdict(list)
    for u, v, d in edges(G):
        if d["properties"].get("stake_pct") is not None:
            acc[d["type"]].append(d["properties"]["stake_pct"])
    return sorted((t, float(round(sum(x) / len(x) * 1000))) for t, x in acc.items())


@case("latest start year per relation", "MATCH ()-[r]->() WHERE r.since IS NOT NULL RETURN type(r) AS t, max(r.since.year) AS y")
def _(G, kg):
    "t y"
    acc: dict[str, int] = {}
    for u, v, d in edges(G):
        if d.get("since"):
            acc[d["type"]] = max(acc.get(d["type"], 0), int(d["since"][:4]))
    return sorted(acc.items())


@case("sources per relation", "MATCH ()-[r]->() UNWIND r.source_urls AS s RETURN type(r) AS t, count(DISTINCT s) AS n")
def _(G, kg):
    "t n"
    acc = defaultdict(set)
    for u, v, d in edges(G):
        for s in d["sources"]:
            acc[d["type"]].add(s["url"])
    return sorted((t, len(s)) for t, s in acc.items())


@case("confidence", "MATCH ()-[r]->() RETURN r.confidence AS c, count(*) AS n")
def _(G, kg):
    "c n"
    return sorted(Counter(d.get("confidence") or None for u, v, d in edges(G)).items(), key=lambda x: (x[0] is None, x[0] or ""))


# ------------------------------------------------------------------ collect / UNWIND
@case("partners of baai", "MATCH (:Entity {id: 'baai'})-[:PARTNERS_WITH]-(p) WITH collect(DISTINCT p.id) AS ps RETURN size(ps) AS n")
def _(G, kg):
    "n"
    return [(len({v for u, v, d in edges(G, "PARTNERS_WITH") if u == "baai"} | {u for u, v, d in edges(G, "PARTNERS_WITH") if v == "baai"}),)]


@case("aliases", "MATCH (n:Entity) UNWIND n.aliases AS a RETURN count(a) AS c")
def _(G, kg):
    "c"
    return [(sum(len(d.get("aliases") or []) for _, d in G.nodes(data=True)),)]


@case("unwind tickers", "MATCH (n:Entity) UNWIND n.tickers AS t RETURN t, n.id AS id")
def _(G, kg):
    "t id"
    return sorted((t, n) for n, d in G.nodes(data=True) for t in d["identifiers"].get("tickers") or [])


@case("unwind params", "UNWIND $ids AS i MATCH (n:Entity {id: i}) RETURN n.id AS id, n.name AS name", {"ids": ["smic", "huawei", "deepseek", "nope"]})
def _(G, kg):
    "id name"
    return sorted((i, G.nodes[i]["name"]) for i in ["smic", "huawei", "deepseek"] if i in G)


# ------------------------------------------------------------------ list comprehensions, CASE
@case("aliases with spaces", "MATCH (n:Entity) WITH n, [a IN n.aliases WHERE a CONTAINS ' ' | toUpper(a)] AS xs WHERE size(xs) > 0 RETURN n.id AS id, xs")
def _(G, kg):
    "id xs"
    out = []
    for n, d in G.nodes(data=True):
        xs = tuple(a.upper() for a in d.get("aliases") or [] if " " in a)
        if xs:
            out.append((n, xs))
    return sorted(out)


@case("pattern comprehension", "MATCH (n:Company) WITH n, size([(n)-[:SUPPLIES]->(m) | m.id]) AS k WHERE k > 2 RETURN n.id AS id, k")
def _(G, kg):
    "id k"
    c = Counter(u for u, v, d in edges(G, "SUPPLIES"))
    return sorted((n, k) for n, k in c.items() if k > 2 and G.nodes[n]["type"] == "company")


@case("stake buckets", "MATCH ()-[r:OWNS|INVESTS_IN]->() WHERE r.stake_pct IS NOT NULL "
      "RETURN CASE WHEN r.stake_pct >= 50 THEN 'control' WHEN r.stake_pct >= 20 THEN 'significant' ELSE 'minority' END AS b, count(*) AS n")
def _(G, kg):
    "b n"
    def bucket(s):
        return "control" if s >= 50 else "significant" if s >= 20 else "minority"
    return sorted(Counter(bucket(d["properties"]["stake_pct"]) for u, v, d in edges(G, "OWNS", "INVESTS_IN")
                          if d["properties"].get("stake_pct") is not None).items())


@case("type buckets", "MATCH (n:Entity) RETURN CASE n.type WHEN 'company' THEN 'firm' WHEN 'state_fund' THEN 'state' ELSE 'other' END AS b, count(*) AS n")
def _(G, kg):
    "b n"
    return sorted(Counter({"company": "firm", "state_fund": "state"}.get(d["type"], "other") for _, d in G.nodes(data=True)).items())


# ------------------------------------------------------------------ EXISTS and COUNT subqueries
@case("listed companies on a list", "MATCH (c:Company) WHERE EXISTS { (c)-[:ON_LIST]->() } RETURN c.id AS id")
def _(G, kg):
    "id"
    return sorted({(u,) for u, v, d in edges(G, "ON_LIST") if G.nodes[u]["type"] == "company"})


@case("labs nobody invests in", "MATCH (c:Company {category: 'model_lab'}) WHERE NOT EXISTS { (c)<-[:INVESTS_IN]-() } RETURN c.id AS id")
def _(G, kg):
    "id"
    funded = {v for u, v, d in edges(G, "INVESTS_IN")}
    return sorted((n,) for n, d in G.nodes(data=True) if d["type"] == "company" and d.get("category") == "model_lab" and n not in funded)


@case("partnership counts", "MATCH (c:Entity) WITH c, COUNT { (c)-[:PARTNERS_WITH]-() } AS n WHERE n >= 2 RETURN c.id AS id, n")
def _(G, kg):
    "id n"
    c = Counter()
    for u, v, d in edges(G, "PARTNERS_WITH"):
        c[u] += 1
        c[v] += 1
    return sorted((n, k) for n, k in c.items() if k >= 2)


@case("busy state funds", "MATCH (f:StateFund) WHERE COUNT { (f)-[:INVESTS_IN|OWNS]->() } >= 3 RETURN f.id AS id")
def _(G, kg):
    "id"
    c = Counter(u for u, v, d in edges(G, "INVESTS_IN", "OWNS"))
    return sorted((f,) for f in nodes_of(G, "state_fund") if c[f] >= 3)


# ------------------------------------------------------------------ temporal comparisons
@case("listed by 2024", "MATCH ()-[r:LISTED_ON]->() WHERE r.since <= date('2024-01-01') RETURN count(r) AS c")
def _(G, kg):
    "c"
    return [(sum(1 for u, v, d in edges(G, "LISTED_ON") if d.get("since") and start(d["since"]) <= dt.date(2024, 1, 1)),)]


@case("ended by 2022", "MATCH ()-[r]->() WHERE r.valid_until <= date('2022-01-01') RETURN r.id AS id")
def _(G, kg):
    "id"
    return sorted((d["fid"],) for u, v, d in edges(G) if d.get("until") and exclusive_end(d["until"]) <= dt.date(2022, 1, 1))


@case("valid and known on 2023-06-30 (kg.as_of)",
      "MATCH (a)-[r]->(b) WHERE (r.valid_from IS NULL OR r.valid_from <= $d) AND (r.valid_until IS NULL OR r.valid_until > $d) "
      "AND r.known_since <= $d AND (a.founded IS NULL OR a.founded <= $d) AND (b.founded IS NULL OR b.founded <= $d) RETURN r.id AS id",
      {"d": dt.date(2023, 6, 30)})
def _(G, kg):
    "id"
    return sorted((f.id,) for f in kg.as_of("2023-06-30").facts())


@case("started in 2024", "MATCH ()-[r]->() WHERE r.since.year = 2024 RETURN type(r) AS t, count(*) AS c")
def _(G, kg):
    "t c"
    return sorted(Counter(d["type"] for u, v, d in edges(G) if d.get("since", "") and d["since"][:4] == "2024").items())


@case("precision", "MATCH ()-[r]->() WHERE r.since IS NOT NULL RETURN r.since_precision AS p, count(*) AS c")
def _(G, kg):
    "p c"
    return sorted(Counter({4: "year", 7: "month", 10: "day"}[len(d["since"])] for u, v, d in edges(G) if d.get("since")).items())


@case("date parameter", "MATCH ()-[r:INVESTS_IN]->() WHERE r.valid_from >= $d RETURN count(r) AS c", {"d": dt.date(2023, 1, 1)})
def _(G, kg):
    "c"
    return [(sum(1 for u, v, d in edges(G, "INVESTS_IN") if d.get("since") and start(d["since"]) >= dt.date(2023, 1, 1)),)]


@case("founded before 2010", "MATCH (n:Company) WHERE n.founded < date('2010-01-01') RETURN n.id AS id")
def _(G, kg):
    "id"
    return sorted((n,) for n, d in G.nodes(data=True) if d["type"] == "company" and d.get("founded") and start(d["founded"]) < dt.date(2010, 1, 1))


# ------------------------------------------------------------------ path functions, parameters, state actors
@case("supply edges of smic", "MATCH (:Entity {id: 'smic'})-[r:SUPPLIES]-() RETURN startNode(r).id AS s, endNode(r).id AS e")
def _(G, kg):
    "s e"
    return sorted((u, v) for u, v, d in edges(G, "SUPPLIES") if "smic" in (u, v))


@case("typed id filter", "MATCH (n:Entity) WHERE n.type = $t AND n.id IN $ids RETURN n.id AS id",
      {"t": "company", "ids": ["smic", "big-fund-ii", "huawei", "beijing"]})
def _(G, kg):
    "id"
    return sorted((i,) for i in ["smic", "big-fund-ii", "huawei", "beijing"] if i in G and G.nodes[i]["type"] == "company")


@case("shared partners", "MATCH (a:Entity {id: $a})-[:PARTNERS_WITH]-(p)-[:PARTNERS_WITH]-(b:Entity {id: $b}) WHERE p <> a AND p <> b RETURN DISTINCT p.id AS id",
      {"a": "baidu", "b": "tsinghua"})
def _(G, kg):
    "id"
    def nb(x):
        return {v for u, v, d in edges(G, "PARTNERS_WITH") if u == x} | {u for u, v, d in edges(G, "PARTNERS_WITH") if v == x}
    return sorted((p,) for p in nb("baidu") & nb("tsinghua") - {"baidu", "tsinghua"})


@case("state actors", "MATCH (n:Entity) WHERE n.state_actor IS NOT NULL RETURN n.id AS id, n.state_actor AS kind")
def _(G, kg):
    "id kind"
    from cnaikg.queries.state import load_state_actors

    cfg = load_state_actors()
    out = []
    for n, d in G.nodes(data=True):
        a = cfg.actor_for(n, d["type"], d.get("category") or "")
        if a is not None:
            out.append((n, a.kind))
    return sorted(out)


@case("state-connected canned query", "")
def _(G, kg):
    "entity n_state_actors"
    from cnaikg.queries.state import load_state_actors

    cfg = load_state_actors()
    actors = {n for n, d in G.nodes(data=True) if cfg.actor_for(n, d["type"], d.get("category") or "")}
    links = defaultdict(set)
    for u, v, d in edges(G):
        if d["type"] == "LOCATED_IN" or "place" in (G.nodes[u]["type"], G.nodes[v]["type"]):
            continue
        if u in actors and v not in actors:
            links[v].add(u)
        if v in actors and u not in actors:
            links[u].add(v)
    ranked = sorted(links.items(), key=lambda x: (-len(x[1]), x[0]))[:20]
    return sorted((e, len(s)) for e, s in ranked)


def test_the_suite_is_large_enough():
    assert len(Q) >= 60


@pytest.mark.parametrize("name", [q[0] for q in Q])
def test_cypher_answer_equals_networkx(curated_server, G, kg, name):
    _, cypher, params, expect, shape = next(q for q in Q if q[0] == name)
    if name == "state-connected canned query":
        from cnaikg.queries.cypher_queries import get_query

        q = get_query("state-connected")
        cypher, params = q.text, q.bind({})
    got = shape(curated_server.run(cypher, params).rows)
    want = sorted(tuple(_hashable(x) for x in row) for row in expect(G, kg))
    assert got == want, f"{name}\n  cypher: {got[:8]}\n  networkx: {want[:8]}"


def test_valid_on_equals_kg_as_of_for_many_entities_and_dates(curated_server, kg):
    from cnaikg.queries.cypher_queries import get_query

    q = get_query("valid-on")
    ids = ["smic", "huawei", "moonshot-ai", "zhipu-ai", "big-fund-i", "cambricon", "deepseek", "alibaba"]
    for day in ("2019-06-30", "2021", "2021-01-01", "2023-06-30", "2025-01-01"):
        view = kg.as_of(day)
        for i in ids:
            got = sorted(r["fact"] for r in curated_server.run(q.text, q.bind({"id": i, "date": day})).rows)
            want = sorted(f.id for f in view.facts_of(i)) if i in view else []
            assert got == want, (i, day)


def test_changes_between_takes_partial_dates_and_matches_the_graph(curated_server, kg):
    from cnaikg.queries.cypher_queries import get_query

    q = get_query("changes-between")
    for a, b in (("2024", "2024"), ("2021-01", "2021-03"), ("2023-06-30", "2023-07-31")):
        lo, hi = q.bind({"from": a, "to": b})["from"], q.bind({"from": a, "to": b})["to"]
        want = sorted([("started", f.id) for f in kg.facts() if f.since and lo <= start(f.since) <= hi]
                      + [("ended", f.id) for f in kg.facts() if f.until and lo <= exclusive_end(f.until) <= hi])
        got = sorted((r["change"], r["fact"]) for r in curated_server.run(q.text, q.bind({"from": a, "to": b})).rows)
        assert got == want, (a, b)
    assert len(curated_server.run(q.text, q.bind({"from": "2024", "to": "2024"})).rows) > 0


@pytest.mark.slow
def test_a_server_for_an_as_of_date_serves_exactly_kg_as_of(kg, tmp_path):
    from cnaikg.graph.store.server import LocalServer
    from cnaikg.graph.store.writer import database_content_hash, graph_content_hash

    view = kg.as_of("2023-06-30")
    with LocalServer(view, cache_dir=tmp_path) as srv:
        assert srv.run("MATCH (n:Entity) RETURN count(n) AS n").rows == [{"n": view.number_of_entities()}]
        assert srv.run("MATCH ()-[r]->() RETURN count(r) AS n").rows == [{"n": view.number_of_facts()}]
        assert database_content_hash(srv.driver(), database=srv.database) == graph_content_hash(view)
