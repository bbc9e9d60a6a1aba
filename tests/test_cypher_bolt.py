"""The Cypher area against the real bundled Bolt server: canned queries, push, read-only, timeouts, child lifetime.

One local server (a real ArcadeDB child process) is started for the whole module
and loaded from tests/data/cypher, a small curated dataset in the real CSV format
whose answers are known. Nothing here mocks the driver or the server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli

pytestmark = pytest.mark.bolt

HERE = Path(__file__).parent
FIXTURE = HERE / "data" / "cypher"


def cypher_data_dir(tmp: Path) -> Path:
    """A data folder with the cypher fixture dataset and the shipped ontology."""
    return _copy(tmp)


def _copy(tmp: Path) -> Path:
    import shutil

    from cnaikg.paths import data_dir

    d = tmp / "data"
    shutil.copytree(FIXTURE, d)
    shutil.copy(data_dir() / "ontology.toml", d / "ontology.toml")
    return d


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def processes_using(folder: Path) -> list[int]:
    """Pids whose command line or working directory mentions ``folder`` (Linux /proc)."""
    found = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            cwd = os.readlink(p / "cwd")
        except OSError:
            continue
        if str(folder) in cwd and pid_alive(int(p.name)):
            found.append(int(p.name))
    return found


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return _copy(tmp_path_factory.mktemp("cypher"))


@pytest.fixture(scope="module")
def fixture_kg(data_dir):
    from cnaikg.graph import build_graph

    return build_graph(data_dir)


@pytest.fixture(scope="module")
def server(fixture_kg, tmp_path_factory):
    """The real local server, loaded with the fixture graph; on teardown, checks no process is left."""
    from cnaikg.graph.store.server import LocalServer

    srv = LocalServer(fixture_kg, cache_dir=tmp_path_factory.mktemp("cache"), databases=("cnaikg", "scratch"))
    srv.start()
    pid, folder = srv.pid, srv.folder
    yield srv
    srv.stop()
    deadline = time.time() + 10
    while pid_alive(pid) and time.time() < deadline:
        time.sleep(0.1)
    assert not pid_alive(pid), "the server process outlived stop()"
    assert processes_using(folder) == [], "a process still runs in the server folder"


# ----------------------------------------------------------------------------- canned queries
EXPECTED = {
    # name: (params, check(rows))
    "supply-chain": ({"company": "lab-a", "hops": 4}, lambda rows: [(r["supplier"], r["hops"]) for r in rows] == [("cloud-c", 1), ("chip-x", 2), ("foundry-f", 3), ("tool-t", 4)]
                     and rows[3]["chain"] == ["tool-t", "foundry-f", "chip-x", "cloud-c", "lab-a"]),
    "customers": ({"company": "foundry-f", "hops": 2}, lambda rows: [(r["customer"], r["hops"]) for r in rows] == [("chip-x", 1), ("cloud-c", 2), ("lab-b", 2)]),
    "funders": ({"company": "lab-a"}, lambda rows: [(r["funder"], r["hops"], r["via"]) for r in rows]
                == [("holding-h", 1, []), ("vc-v", 1, []), ("fund-1", 2, ["holding-h"]), ("ministry-m", 3, ["fund-1", "holding-h"])]),
    "fund-portfolio": ({"fund": "fund-1"}, lambda rows: [r["company"] for r in rows] == ["chip-x", "foundry-f", "holding-h"] and rows[0]["stake_pct"] == 9.5),
    "fund-overlap": ({"fund_a": "fund-1", "fund_b": "fund-2"}, lambda rows: [(r["company"], r["via_a"], r["via_b"]) for r in rows]
                     == [("chip-x", ["INVESTS_IN"], ["OWNS"]), ("foundry-f", ["INVESTS_IN"], ["INVESTS_IN"])]),
    "export-control": ({"list": "list-l"}, lambda rows: [(r["entity"], r["date_added"], sorted(r["customers"]), r["suppliers"]) for r in rows]
                       == [("chip-x", "2022-10-07", ["cloud-c", "lab-b"], ["foundry-f"]), ("foundry-f", "2020-12-18", ["chip-x"], ["tool-t"])]),
    "shortest-path": ({"from": "tool-t", "to": "lab-b"}, lambda rows: rows == [{"path": ["tool-t", "foundry-f", "chip-x", "lab-b"], "relations": ["SUPPLIES"] * 3, "hops": 3}]),
    "shared-partners": ({"a": "lab-a", "b": "lab-b"}, lambda rows: [r["partner"] for r in rows] == ["cloud-c", "uni-u"]),
    "listings": ({}, lambda rows: [(r["exchange"], r["ticker"], r["entity"]) for r in rows] == [("hkex", "0700.HK", "cloud-c"), ("sse", "600001.SS", "cloud-c"), ("sse", "688001.SS", "chip-x")]),
    "state-connected": ({"limit": 3}, lambda rows: [(r["entity"], r["n_state_actors"]) for r in rows] == [("chip-x", 2), ("foundry-f", 2), ("holding-h", 1)]),  # fund-1, fund-2 (state funds); ministry-m only if a PRC ministry
    "changes-between": ({"from": "2023-05-01", "to": "2023-07-31"}, lambda rows: [(r["change"], r["date"], r["subject"], r["relation"], r["object"]) for r in rows] == [
        ("started", "2023-05-01", "holding-h", "INVESTS_IN", "lab-a"), ("started", "2023-05-20", "vc-v", "INVESTS_IN", "lab-a"),
        ("started", "2023-06-01", "cloud-c", "SUPPLIES", "lab-a"), ("ended", "2023-07-01", "fund-2", "OWNS", "chip-x")]),
    "valid-on": ({"id": "chip-x", "date": "2023-07-01"}, lambda rows: ("OWNS", "fund-2") not in [(r["relation"], r["other"]) for r in rows]
                 and ("ON_LIST", "list-l") in [(r["relation"], r["other"]) for r in rows] and "sse" not in [r["other"] for r in rows]),
    "who-says": ({"subject": "chip-x", "object": "list-l", "relation": "ON_LIST"}, lambda rows: rows[0]["publishers"] == ["Example Register"]
                 and rows[0]["urls"] == ["https://example.org/rules/entity-list"] and rows[0]["confidence"] == "high"),
    "top-investors": ({"limit": 2}, lambda rows: [(r["investor"], r["companies"]) for r in rows] == [("fund-1", 3), ("fund-2", 2)]),
    "entity": ({"id": "chip-x"}, lambda rows: {(r["relation"], r["outgoing"], r["other"]) for r in rows} >= {("ON_LIST", True, "list-l"), ("SUPPLIES", False, "foundry-f"), ("LISTED_ON", True, "sse")}),
}


def test_every_canned_query_has_an_expectation():
    from cnaikg.queries.cypher_queries import load_queries

    assert set(load_queries()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_canned_query_returns_the_expected_rows(server, name):
    from cnaikg.queries.cypher_queries import get_query

    params, check = EXPECTED[name]
    q = get_query(name)
    rows = server.run(q.text, q.bind(params)).rows
    assert rows, f"{name} returned no rows"
    assert check(rows), f"{name} returned {json.dumps(rows, indent=1)}"


def test_supply_chain_respects_the_hop_limit(server):
    from cnaikg.queries.cypher_queries import get_query

    q = get_query("supply-chain")
    rows = server.run(q.text, q.bind({"company": "lab-a", "hops": "2"})).rows  # text, as from --param
    assert [r["supplier"] for r in rows] == ["cloud-c", "chip-x"]


# ----------------------------------------------------------------------------- the graph in the database
def test_loaded_graph_has_every_entity_and_fact_with_provenance(server, fixture_kg):
    rows = server.run("MATCH (n:Entity) RETURN count(n) AS n").rows
    assert rows == [{"n": fixture_kg.number_of_entities()}]
    rows = server.run("MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n").rows
    assert rows == [{"n": fixture_kg.number_of_facts()}]
    r = server.run("MATCH (:Entity {id: 'chip-x'})-[r:SUPPLIES]->(:Entity {id: 'cloud-c'}) RETURN properties(r) AS p").rows[0]["p"]
    assert r["since"] == "2021-01-01" and r["since_precision"] == "year" and r["confidence"] == "high" and r["goods"] == "accelerators"
    typed = server.run("MATCH (:Entity {id: 'chip-x'})-[r:SUPPLIES]->(:Entity {id: 'cloud-c'}) "
                       "RETURN r.since < date('2021-06-30') AS before, r.since.year AS year").rows
    assert typed == [{"before": True, "year": 2021}]
    assert r["source_ids"] == ["src-filing", "src-news"] and len(r["source_urls"]) == len(r["source_dates"]) == 2
    assert [s["publisher"] for s in json.loads(r["sources_json"])] == ["Example Exchange", "Example News"]
    labels = server.run("MATCH (n:Entity {id: 'fund-1'}) RETURN labels(n) AS l").rows[0]["l"]
    assert sorted(labels) == ["Entity", "StateFund"]


# ----------------------------------------------------------------------------- push
def _writer(server, kg):
    from cnaikg.graph.store.writer import GraphWriter

    return GraphWriter(server.write_driver(), database="scratch", ontology=kg.ontology, batch_size=7)


def _clear_scratch(server):
    with server.write_driver().session(database="scratch") as s:
        s.run("MATCH (n) DETACH DELETE n").consume()


def test_push_twice_changes_nothing(server, fixture_kg):
    _clear_scratch(server)
    w = _writer(server, fixture_kg)
    first = w.push(fixture_kg, show_progress=False)
    snap1 = w.snapshot()
    second = w.push(fixture_kg, show_progress=False)
    snap2 = w.snapshot()
    assert first.counts == second.counts and (first.mode, second.mode) == ("create", "merge")
    assert first.counts["Entity"] == fixture_kg.number_of_entities()
    assert sum(first.counts[r] for r in w.schema.rel_types) == fixture_kg.number_of_facts()
    assert snap1 == snap2
    assert len(snap1["relationships"]) == fixture_kg.number_of_facts()


def test_an_interrupted_push_completes_when_rerun(server, fixture_kg):
    _clear_scratch(server)
    w = _writer(server, fixture_kg)
    w.push(fixture_kg, show_progress=False)
    full = w.snapshot()
    _clear_scratch(server)
    half = fixture_kg.subgraph([e.id for e in fixture_kg.entities()][:9])  # as if the push had stopped halfway
    w.push(half, show_progress=False)
    w.push(fixture_kg, show_progress=False)
    assert w.snapshot() == full


def test_hostile_strings_round_trip_unchanged(server):
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Entity, Fact, Source

    hostile = "O'Brien \"quoted\" `tick` \\ back'slash'; MATCH (n) DETACH DELETE n // } ) RETURN 1 $param 中文\n2nd line"
    src = Source("s-1", "https://example.org/?q='x'&y=\"z\"", hostile, "2024-01-01", hostile)
    a = Entity("hostile-a", "company", hostile, name_zh="`反引号`", aliases=(hostile, "MERGE (x)"), sources=(src,), note=hostile)
    b = Entity("hostile-b", "company", "B")
    f = Fact.create("hostile-a", "SUPPLIES", "hostile-b", properties={"goods": hostile}, sources=(src,), note=hostile)
    kg = KnowledgeGraph([a, b], [f])
    _clear_scratch(server)
    _writer(server, kg).push(kg, show_progress=False)
    with server.write_driver().session(database="scratch") as s:
        node = s.run("MATCH (n:Entity {id: $id}) RETURN n.name AS name, n.name_zh AS zh, n.aliases AS aliases, n.note AS note", id="hostile-a").single()
        rel = s.run("MATCH (:Entity)-[r:SUPPLIES]->(:Entity) WHERE r.goods = $g RETURN r.goods AS goods, r.source_publishers AS pubs, r.sources_json AS js", g=hostile).single()
        n_all = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
    assert node["name"] == hostile and node["zh"] == "`反引号`" and node["aliases"] == [hostile, "MERGE (x)"] and node["note"] == hostile
    assert rel["goods"] == hostile and rel["pubs"] == [hostile]
    assert json.loads(rel["js"])[0]["url"] == "https://example.org/?q='x'&y=\"z\""
    assert n_all == 2


# ----------------------------------------------------------------------------- read-only, errors, timeout
def test_a_write_query_is_refused_in_read_only_mode(server):
    from cnaikg.errors import StoreError

    with pytest.raises(StoreError, match="read-only.*--write"):
        server.run("MATCH (n:Entity {id: 'lab-a'}) SET n.name = 'pwned'")
    with pytest.raises(StoreError, match=r"writes \(CREATE\).*refused.*read-only"):
        server.run("CREATE (:Entity {id: 'x'})")
    # with write=True the same query runs on the scratch database, never on the served one
    server.run("CREATE (:Entity {id: 'x'})", write=True)
    assert server.run("MATCH (n:Entity {id: 'x'}) RETURN count(n) AS n").rows == [{"n": 0}]
    assert server.run("MATCH (n:Entity {id: 'lab-a'}) RETURN n.name AS name").rows == [{"name": "Lab A"}]
    # a value that merely looks like a write clause is not a write
    assert server.run("MATCH (n:Entity) WHERE n.name = $v RETURN count(n) AS n", v="DELETE").rows == [{"n": 0}]


def test_errors_are_one_line_and_say_what_to_do(server):
    from cnaikg.errors import StoreError

    with pytest.raises(StoreError, match="syntax error.*fix the Cypher"):
        server.run("MATCH (n RETURN n")
    with pytest.raises(StoreError, match="--param"):
        server.run("MATCH (n:Entity {id: $nope}) RETURN n")


def test_a_query_past_its_timeout_is_stopped_and_the_server_answers_the_next_promptly(server):
    from cnaikg.errors import StoreError

    # 16 entities to the 7th power: ~268 million rows, far beyond any timeout here however fast the machine
    runaway = ("MATCH (a:Entity), (b:Entity), (c:Entity), (d:Entity), (e:Entity), (f:Entity), (g:Entity) "
               "WHERE a.id + b.id + c.id + d.id + e.id + f.id + g.id = 'x' RETURN count(*) AS n")
    t0 = time.perf_counter()
    with pytest.raises(StoreError, match="timeout"):
        server.run(runaway, timeout=1.5)
    assert time.perf_counter() - t0 < 5
    t1 = time.perf_counter()
    assert server.run("MATCH (n:Entity {id: 'lab-a'}) RETURN n.id AS id").rows == [{"id": "lab-a"}]
    assert time.perf_counter() - t1 < 1.0
    assert server.alive()


# ----------------------------------------------------------------------------- command line
@pytest.fixture(scope="module")
def cli_cache(tmp_path_factory):
    """One cache for the command-line tests: the first `cnaikg cypher` starts a background server, the others reuse it."""
    cache = tmp_path_factory.mktemp("cli-cache")
    yield cache
    run_cli("serve", "--stop", env={"CNAIKG_CACHE": str(cache)})
    deadline = time.time() + 20
    while processes_using(cache) and time.time() < deadline:
        time.sleep(0.2)
    assert processes_using(cache) == [], "a background server outlived `cnaikg serve --stop`"


def _cli(cache, *args, check=False):
    return run_cli(*args, env={"CNAIKG_CACHE": str(cache), "CNAIKG_IDLE_SECONDS": "300"}, check=check)


def test_cli_two_concurrent_queries_both_succeed_and_later_ones_reuse_the_server(data_dir, cli_cache):
    import concurrent.futures

    q = ("cypher", "--data", str(data_dir), "--format", "json", "MATCH (n:Entity) RETURN count(n) AS n")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        procs = list(pool.map(lambda _: _cli(cli_cache, *q), range(2)))
    for p in procs:
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout) == [{"n": 16}]
    assert sum("starting the local Bolt server" in p.stderr for p in procs) == 1  # one started it, the other waited
    info = json.loads(next(cli_cache.glob("bolt/*/server.json")).read_text())
    again = _cli(cli_cache, *q, check=True)
    assert "starting" not in again.stderr and json.loads(again.stdout) == [{"n": 16}]
    assert json.loads(next(cli_cache.glob("bolt/*/server.json")).read_text())["pid"] == info["pid"]
    import stat

    assert stat.S_IMODE(next(cli_cache.glob("bolt/*/server.json")).stat().st_mode) == 0o600


def test_cli_runs_a_canned_query_as_json(data_dir, cli_cache):
    proc = _cli(cli_cache, "cypher", "--data", str(data_dir), "--name", "funders", "--param", "company=lab-a", "--format", "json", check=True)
    rows = json.loads(proc.stdout)
    assert [r["funder"] for r in rows] == ["holding-h", "vc-v", "fund-1", "ministry-m"]
    assert "password" not in proc.stderr.lower()
    log = next(cli_cache.glob("bolt/*/server.log")).read_text()
    assert "ArcadeDB Server started" in log  # server output went to the log, not the terminal
    assert "ArcadeDB" not in proc.stderr


def test_cli_resolves_names_suggests_on_typos_and_says_zero_rows(data_dir, cli_cache):
    proc = _cli(cli_cache, "cypher", "--data", str(data_dir), "--name", "funders", "--param", "company=Lab A", "--format", "json", check=True)
    assert [r["funder"] for r in json.loads(proc.stdout)][:2] == ["holding-h", "vc-v"] and "resolved to lab-a" in proc.stderr
    proc = _cli(cli_cache, "cypher", "--data", str(data_dir), "--name", "funders", "--param", "company=Lab Aa")
    assert proc.returncode == 2 and "closest" in proc.stderr and "lab-a" in proc.stderr and proc.stderr.count("\n") == 1
    proc = _cli(cli_cache, "cypher", "--data", str(data_dir), "--name", "funders", "--param", "company=tool-t", check=True)
    assert proc.stdout.splitlines()[0].split() == ["funder", "name", "type", "hops", "via"] and "(0 rows)" in proc.stderr


def test_cli_refuses_a_write_with_one_line_and_write_uses_the_scratch_copy(data_dir, cli_cache):
    proc = _cli(cli_cache, "cypher", "--data", str(data_dir), "MATCH (n) DETACH DELETE n")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "read-only" in proc.stderr and "--write" in proc.stderr
    proc = _cli(cli_cache, "cypher", "--data", str(data_dir), "--write", "--format", "json", "CREATE (n:Probe {id: 'p'}) RETURN n.id AS id", check=True)
    assert json.loads(proc.stdout) == [{"id": "p"}]
    proc = _cli(cli_cache, "cypher", "--data", str(data_dir), "--format", "json", "MATCH (n) RETURN count(n) AS n", check=True)
    assert json.loads(proc.stdout) == [{"n": 16}]


def test_cli_says_what_a_web_address_is(data_dir):
    proc = run_cli("push", "--data", str(data_dir), "--uri", "http://localhost:7474", env={"NEO4J_PASSWORD": "x"})
    assert proc.returncode == 2 and "bolt://" in proc.stderr and "7687" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_lists_canned_queries():
    proc = run_cli("cypher", "--list", "--format", "json", check=True)
    rows = json.loads(proc.stdout)
    assert len(rows) >= 12 and {"supply-chain", "shortest-path", "changes-between"} <= {r["name"] for r in rows}
    assert all(r["description"] for r in rows)


def test_push_refuses_a_wrong_password(server, fixture_kg, data_dir):
    proc = run_cli("push", "--data", str(data_dir), "--uri", server.uri, "--user", "writer", env={"NEO4J_PASSWORD": "wrong"})
    assert proc.returncode == 2 and "password" in proc.stderr and proc.stderr.count("\n") == 1


def test_push_command_loads_a_server(server, data_dir):
    _clear_scratch(server)
    proc = run_cli("push", "--data", str(data_dir), "--uri", server.uri, "--user", "writer", "--database", "scratch",
                   "--password-env", "CNAIKG_TEST_PW", "--format", "json", env={"CNAIKG_TEST_PW": server.write_password}, check=True)
    counts = {r["name"]: r["count"] for r in json.loads(proc.stdout)}
    assert counts["Entity"] == 16 and counts["SUPPLIES"] == 5
    assert server.write_password not in proc.stdout + proc.stderr
    # the served database cannot be pushed to, whoever asks
    proc = run_cli("push", "--data", str(data_dir), "--uri", server.uri, "--user", "writer", "--database", "cnaikg",
                   "--password-env", "CNAIKG_TEST_PW", env={"CNAIKG_TEST_PW": server.write_password})
    assert proc.returncode == 2 and "refused" in proc.stderr


# ----------------------------------------------------------------------------- the child dies with its parent
def test_no_server_process_survives_a_kill_9_of_its_parent(tmp_path):
    script = (
        "import sys, time\n"
        "from cnaikg.graph.store.server import LocalServer\n"
        f"srv = LocalServer(cache_dir={str(tmp_path)!r}).start()\n"
        "print(srv.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert pid_alive(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 15
    while pid_alive(child) and time.time() < deadline:
        time.sleep(0.1)
    assert not pid_alive(child), "the server outlived its killed parent"
    assert processes_using(tmp_path) == []
