"""The local endpoint is read-only by the engine: a corpus of write and escape attempts against the real bundled server.

Every attempt goes to the served database as the user `cnaikg serve` hands out
(``reader``), through the raw neo4j driver in several ways (auto-commit,
explicit READ and WRITE transactions the client opens and commits itself,
managed write transactions), and through the product's own ``run_query`` for
the message. Each must be refused, and afterwards the database must hold
exactly the dataset (counts and content hash), also after a restart.
"""

from __future__ import annotations

import socket
import stat
import urllib.request

import pytest

pytestmark = pytest.mark.bolt

TERMINATORS = {"LF": "\n", "CR": "\r", "CRLF": "\r\n", "LS": "\u2028", "PS": "\u2029", "NEL": "\u0085", "VT": "\x0b", "FF": "\x0c"}

WRITES = {
    "create node": "CREATE (:Entity {id: 'evil'})",
    "create with params": "CREATE (n:Entity) SET n = $props",
    "merge node": "MERGE (n:Entity {id: 'evil'}) RETURN n.id",
    "set property": "MATCH (n:Entity {id: 'smic'}) SET n.name = 'pwned' RETURN n.name",
    "set map +=": "MATCH (n:Entity {id: 'smic'}) SET n += {name: 'pwned'}",
    "set date": "MATCH (n:Entity {id: 'smic'}) SET n.founded = date('1900-01-01')",
    "set label": "MATCH (n:Entity {id: 'smic'}) SET n:Evil RETURN n.id",
    "remove property": "MATCH (n:Entity {id: 'smic'}) REMOVE n.name",
    "remove label": "MATCH (n:Entity {id: 'smic'}) REMOVE n:Company",
    "detach delete": "MATCH (n:Entity {id: 'smic'}) DETACH DELETE n",
    "delete relationships": "MATCH ()-[r:LISTED_ON]->() DELETE r",
    "create relationship": "MATCH (a:Entity {id: 'smic'}), (b:Entity {id: 'huawei'}) CREATE (a)-[:SUPPLIES {id: 'evil'}]->(b)",
    "foreach": "MATCH (n:Entity {id: 'smic'}) FOREACH (x IN [1] | SET n.pwned = x)",
    "unwind create": "UNWIND range(1, 3) AS i CREATE (:Evil {i: i})",
    "profile create": "PROFILE CREATE (:Evil {id: 'p'})",
    "subquery create": "CALL { CREATE (:Evil {id: 's'}) } RETURN 1 AS x",
    "subquery set": "CALL { MATCH (n:Entity {id: 'smic'}) SET n.name = 'x' RETURN n } RETURN count(*) AS c",
    "unit subquery with": "MATCH (n:Entity {id: 'smic'}) CALL { WITH n SET n.name = 'x' } RETURN n.id",
    "subquery in transactions": "CALL { CREATE (:Evil {id: 't'}) } IN TRANSACTIONS RETURN 1 AS x",
    "union write": "RETURN 1 AS x UNION ALL CREATE (:Evil {id: 'u'}) RETURN 2 AS x",
    "do.when": "CALL do.when(true, 'MATCH (n:Entity {id:\"smic\"}) DETACH DELETE n RETURN 1 AS x', 'RETURN 0 AS x', {}) YIELD value RETURN value",
    "do.case": "CALL do.case([true, 'CREATE (:Evil) RETURN 1 AS x'], 'RETURN 0 AS x', {}) YIELD value RETURN value",
    "apoc.create.node": "CALL apoc.create.node(['Evil'], {id: 'x'}) YIELD node RETURN node",
    "apoc.merge.node": "CALL apoc.merge.node(['Evil'], {id: 'x'}) YIELD node RETURN node",
    "apoc.cypher.doIt": "CALL apoc.cypher.doIt('CREATE (:Evil) RETURN 1 AS x', {}) YIELD value RETURN value",
    "apoc.periodic.iterate": "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'SET n.x = 1', {}) YIELD batches RETURN batches",
    "apoc.refactor.rename": "CALL apoc.refactor.rename.label('Company', 'Evil')",
    "db.createLabel": "CALL db.createLabel('Evil')",
    "gql insert": "INSERT (:Evil {id: 'g'})",
    "gql insert path": "INSERT (a:Evil {id: 'g1'})-[:X]->(b:Evil {id: 'g2'})",
    "create index": "CREATE INDEX evil_idx FOR (n:Entity) ON (n.name)",
    "create constraint": "CREATE CONSTRAINT evil_c FOR (n:Entity) REQUIRE n.name IS UNIQUE",
    "block comment": "/* a read */ CREATE (:Evil {id: 'b'})",
    "zero-width space": "MATCH (n:Entity {id: 'smic'}) S\u200bET n.name = 'x'",
    "fullwidth letters": "\uff23\uff32\uff25\uff21\uff34\uff25 (:Evil)",
    "cherokee look-alike": "\u13dfREATE (:Evil)",
    "no-break space": "MATCH (n:Entity {id: 'smic'}) DETACH\u00a0DELETE n",
}
for _name, _t in TERMINATORS.items():
    # whether or not the engine ends the comment at this character, the text is refused (a write, or an empty query)
    WRITES[f"comment ended by {_name}"] = f"// just a comment{_t}MATCH (n:Entity {{id: 'smic'}}) SET n.name = 'pwned' RETURN n.name"

ESCAPES = {
    "load csv file": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row[0] AS line",
    "load csv headers": "LOAD CSV WITH HEADERS FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv bare path": "LOAD CSV FROM '/etc/passwd' AS row RETURN row",
    "load csv traversal": "LOAD CSV FROM 'file:///../../../../etc/passwd' AS row RETURN row",
    "load csv server users": "LOAD CSV FROM $users AS row RETURN row",
    "load csv loopback url": "LOAD CSV FROM 'http://127.0.0.1:1/x.csv' AS row RETURN row",
    "load csv localhost url": "LOAD CSV FROM 'http://localhost:1/x.csv' AS row RETURN row",
    "load csv after CR comment": "WITH 1 AS a // x\rLOAD CSV FROM 'file:///etc/passwd' AS row RETURN row[0] AS line",
    "load csv after LS comment": "// x\u2028LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row[0] AS line",
    "load csv after NEL comment": "// x\u0085LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row[0] AS line",
    "apoc.load.json": "CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value",
    "apoc.load.csv": "CALL apoc.load.csv('file:///etc/passwd') YIELD list RETURN list",
}
CORPUS = {**WRITES, **ESCAPES}
MODES = ("auto", "read_tx", "write_tx", "managed_write")
#: sent in every mode (transactions the client opens itself in READ and WRITE sessions, managed writes); the rest auto-commit
EVERY_MODE = {"create node", "set property", "set label", "detach delete", "subquery create", "do.when", "gql insert",
              "create index", "comment ended by CR", "load csv file", "profile create", "unit subquery with"}


def _params(srv):
    return {"props": {"id": "evil"}, "users": f"file://{srv.folder}/databases/config/server-users.jsonl"}


def _attempt(srv, query, mode):
    """Send ``query`` as the reader in ``mode``; return the exception the server raised, or None if it was accepted."""
    from neo4j.exceptions import DriverError, Neo4jError

    d = srv.driver()
    try:
        if mode == "auto":
            with d.session(database=srv.database) as s:
                s.run(query, _params(srv)).consume()
        elif mode in ("read_tx", "write_tx"):
            with d.session(database=srv.database, default_access_mode="READ" if mode == "read_tx" else "WRITE") as s:
                with s.begin_transaction() as tx:
                    tx.run(query, _params(srv)).consume()
                    tx.commit()
        else:
            with d.session(database=srv.database) as s:
                s.execute_write(lambda tx: tx.run(query, _params(srv)).consume())
    except (Neo4jError, DriverError) as exc:
        return exc
    return None


@pytest.fixture(scope="module")
def server(curated_server):
    return curated_server


def _state(srv):
    from cnaikg.graph.store.writer import database_content_hash

    counts = srv.run("MATCH (n) RETURN count(n) AS n").rows[0]["n"], srv.run("MATCH ()-[r]->() RETURN count(r) AS n").rows[0]["n"]
    return counts, database_content_hash(srv.driver(), database=srv.database)


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40
    assert EVERY_MODE <= set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_attempt_is_refused_by_the_engine_in_every_mode(server, name):
    from cnaikg.errors import StoreError
    from cnaikg.graph.store.writer import run_query

    for mode in MODES if name in EVERY_MODE else MODES[:1]:
        exc = _attempt(server, CORPUS[name], mode)
        if name == "profile create" and exc is None:  # the engine runs PROFILE of a refused write as a no-op
            assert server.run("MATCH (n:Evil) RETURN count(n) AS n").rows == [{"n": 0}]
            continue
        assert exc is not None, f"{name!r} was accepted in mode {mode}"
    with pytest.raises(StoreError) as err:  # the product path says what happened and what to do
        run_query(server.driver(), CORPUS[name], _params(server), database=server.database)
    msg = str(err.value)
    assert "\n" not in msg and any(w in msg for w in ("read-only", "LOAD CSV", "syntax error", "could not run", "refused")), msg
    if name in ESCAPES:
        assert "root:" not in msg and "PBKDF2" not in msg


def test_the_database_is_unchanged_after_the_corpus_and_after_a_restart(server, kg):
    from cnaikg.graph.store.writer import graph_content_hash

    for name in sorted(EVERY_MODE):  # if run alone: a few attempts first (in the module they all ran before)
        _attempt(server, CORPUS[name], "write_tx")
    expected = graph_content_hash(kg)
    (n_nodes, n_rels), h = _state(server)
    assert (n_nodes, n_rels, h) == (kg.number_of_entities(), kg.number_of_facts(), expected)
    assert server.run("MATCH (n:Evil) RETURN count(n) AS n").rows == [{"n": 0}]
    server.restart()
    assert not server.rebuilt, "the stored database had changed and was rebuilt at restart"
    (n_nodes, n_rels), h = _state(server)
    assert (n_nodes, n_rels, h) == (kg.number_of_entities(), kg.number_of_facts(), expected)


def test_reads_that_look_like_writes_are_answered(server):
    from cnaikg.graph.store.writer import run_query

    reads = [
        "MATCH (start:Entity {id: 'smic'})-[r]->(stop) RETURN start.id AS set, count(stop) AS load",
        "WITH 1 AS set, 2 AS load, 3 AS create RETURN set + load + create AS delete",
        "MATCH (n:Entity {id: 'smic'}) RETURN {set: n.id, merge: 'CREATE (x)', remove: 'DETACH DELETE'} AS m",
        "MATCH (n:Entity) WHERE n.name = 'SET n.x = 1' RETURN count(n) AS c",
        "MATCH (n:Entity {id: 'smic'}) // SET n.x = 1\nRETURN n.`delete` AS d, n.id AS id",
        "UNWIND ['LOAD CSV FROM x', 'CREATE (n)'] AS start RETURN start",
        "EXPLAIN MATCH (n) RETURN n",
    ]
    for q in reads:
        run_query(server.driver(), q, database=server.database)


def test_only_the_bolt_listener_is_open_and_only_the_reader_credentials_work(server):
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    from cnaikg.graph.store.server import _listening_ports

    assert _listening_ports(server.pid) == [server.port]
    # the HTTP API / Studio of ArcadeDB is stopped: its usual port and any other local port of the child answer nothing
    for port in (2480, 2424):
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                with pytest.raises(Exception):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/server", timeout=2).read()
    for user, password in (("root", ""), ("root", "root"), ("admin", "admin"), ("reader", "wrong")):
        d = GraphDatabase.driver(server.uri, auth=(user, password))
        with pytest.raises((AuthError, Neo4jError, ServiceUnavailable)):
            with d.session(database=server.database) as s:
                s.run("RETURN 1").consume()
        d.close()


def test_the_writer_may_change_the_scratch_database_but_not_the_served_one(server):
    from neo4j.exceptions import Neo4jError

    w = server.write_driver()
    with w.session(database=server.work_database) as s:
        s.run("CREATE (:Probe {id: 'p'})").consume()
        assert s.run("MATCH (n:Probe) RETURN count(n) AS n").single()["n"] == 1
        s.run("MATCH (n:Probe) DELETE n").consume()
    with pytest.raises(Neo4jError):
        with w.session(database=server.database) as s:
            s.run("MATCH (n:Entity {id: 'smic'}) SET n.name = 'x'").consume()
    # the reader may not write to the scratch database either
    with pytest.raises(Neo4jError):
        with server.driver().session(database=server.work_database) as s:
            s.run("CREATE (:Probe)").consume()


def test_server_files_are_private(server):
    info = server.folder / "server.json"
    assert stat.S_IMODE(info.stat().st_mode) == 0o600
    assert stat.S_IMODE(server.folder.stat().st_mode) == 0o700
    users = (server.folder / "databases" / "config" / "server-users.jsonl").read_text()
    assert '"root"' not in users and server.password not in users  # root dropped; passwords only as salted hashes
