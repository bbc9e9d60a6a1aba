"""The bundled local Bolt endpoint: ArcadeDB (from arcadedb-embedded) in a child process, read-only by its own permissions.

Security model (enforced by the engine, not by reading query text)
------------------------------------------------------------------
- The dataset is served from the database ``cnaikg``. The only credentials
  handed out for it are those of the server user ``reader``, whose group on
  that database grants ``readRecord`` on every type and nothing else (no
  create/update/delete of records, no schema, security or settings changes).
  ArcadeDB checks these rights on every record and schema change, whatever the
  query says (a procedure, a subquery, a GQL ``INSERT``, a transaction the
  client opens itself in READ or WRITE mode).
- ``--write`` and ``push`` use the user ``writer``, whose group may change the
  scratch databases only (``scratch`` by default); on ``cnaikg`` it is a reader.
- The administrator ``root`` gets a random password that never leaves the child
  process, and is dropped from the server as soon as the databases exist.
- ``LOAD CSV`` cannot read files (``arcadedb.opencypher.loadCsv.allowFileUrls``
  off; the engine also demands ``updateSecurity`` for it) nor URLs
  (``allowRemoteUrls`` off); the polyglot script engine is off.
- Only the Bolt listener stays up, on 127.0.0.1. ArcadeDB always starts its
  HTTP server (there is no setting to keep it off): it is bound to 127.0.0.1 on
  a random port and stopped right after start, before any credentials exist
  outside the child. No other protocol plugin is loaded.
- Users, groups and logs live under the cache folder (mode 0700); the
  discovery file with the reader's password is 0600.

Nothing to poison: the served database is checked against the dataset by a
content hash of every node and relationship at every start, and rebuilt when it
differs (the marker alone is never trusted). The scratch databases are emptied
at every start.

The child dies with its parent when started attached (``LocalServer``); a
detached one (``shared_server``, used by ``cnaikg cypher``) stops after an idle
time without Bolt connections, or on ``cnaikg serve --stop``.

>>> from cnaikg.graph import build_graph
>>> with LocalServer(build_graph()) as srv:                      # doctest: +SKIP
...     srv.run("MATCH (n:Company {id: $id}) RETURN n.name AS name", id="smic").rows
[{'name': 'SMIC'}]
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as _dt
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from cnaikg.errors import StoreError

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.store.writer import QueryResult

__all__ = ["LocalServer", "cache_root", "dataset_hash", "free_port", "READER", "WRITER", "DEFAULT_DATABASE",
           "WORK_DATABASE", "shared_server", "read_discovery", "stop_shared_server", "DEFAULT_IDLE_SECONDS"]

READER = "reader"
WRITER = "writer"
#: kept for callers of the first version; the served database is never given to an administrator
USER = READER
DEFAULT_DATABASE = "cnaikg"
WORK_DATABASE = "scratch"
DEFAULT_IDLE_SECONDS = 600.0
DISCOVERY = "server.json"
#: bump when the way the graph is written changes, so cached databases are rebuilt
LAYOUT_VERSION = "3"
_LIVE: "weakref.WeakSet[LocalServer]" = weakref.WeakSet()


def cache_root() -> Path:
    """Where cached local databases live: $CNAIKG_CACHE, else $XDG_CACHE_HOME/cnaikg, else ~/.cache/cnaikg.

    >>> cache_root().name in ("cnaikg",) or "CNAIKG_CACHE" in os.environ
    True
    """
    if os.environ.get("CNAIKG_CACHE"):
        return Path(os.environ["CNAIKG_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cnaikg"


def dataset_hash(kg: "KnowledgeGraph | None") -> str:
    """A content hash of the graph as it will be written (node-link data + writer layout), 16 hex digits.

    >>> from cnaikg.graph import build_graph
    >>> dataset_hash(build_graph()) == dataset_hash(build_graph())
    True
    """
    if kg is None:
        return "empty"
    payload = json.dumps([LAYOUT_VERSION, kg.to_node_link()], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by this user only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    return True


def _is_our_child(pid: int) -> bool:
    """True when ``pid`` runs this module's server child (so a recycled pid is never signalled)."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _pid_alive(pid)
    return b"cnaikg.graph.store.server" in cmd and b"--child" in cmd


def _stop_all() -> None:
    for srv in list(_LIVE):
        with contextlib.suppress(Exception):
            srv.stop()


atexit.register(_stop_all)
_SIGNALS_INSTALLED = False


def _install_signal_handlers() -> None:
    """SIGTERM/SIGHUP in the parent become SystemExit (so atexit stops the child), if nobody else handles them."""
    global _SIGNALS_INSTALLED
    if _SIGNALS_INSTALLED or threading.current_thread() is not threading.main_thread():
        return
    _SIGNALS_INSTALLED = True

    def handler(signum: int, frame: Any) -> None:
        _stop_all()
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None and signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, handler)


def _encode_rows(obj: Any) -> Any:
    """Rows as JSON for the child: dates tagged as ``{"$date": "YYYY-MM-DD"}``."""
    if isinstance(obj, dict):
        return {k: _encode_rows(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode_rows(v) for v in obj]
    if isinstance(obj, _dt.date) and not isinstance(obj, _dt.datetime):
        return {"$date": obj.isoformat()}
    return obj


def _decode_rows(obj: Any) -> Any:
    if isinstance(obj, dict):
        if set(obj) == {"$date"}:
            return _dt.date.fromisoformat(obj["$date"])
        return {k: _decode_rows(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode_rows(v) for v in obj]
    return obj


def load_plan(kg: "KnowledgeGraph") -> dict[str, Any]:
    """The statements and parameters that load ``kg`` into an empty database (CREATE per label and type).

    The same Cypher text as ``GraphWriter`` uses for a push into an empty database.
    """
    from cnaikg.graph.store.writer import (_q_constraint, _q_create_nodes, _q_create_rels, node_rows, relationship_rows,
                                           schema_from_ontology)

    schema = schema_from_ontology(kg.ontology)
    steps: list[dict[str, Any]] = [{"query": _q_constraint(), "schema": True, "rows": []}]  # the id index every MATCH uses
    for etype, rows in sorted(node_rows(kg).items()):
        steps.append({"query": _q_create_nodes(schema.node_label(etype)), "rows": rows})
    for rel, rows in sorted(relationship_rows(kg).items()):
        steps.append({"query": _q_create_rels(schema.rel_type(rel)), "rows": rows})
    return {"steps": _encode_rows(steps)}


class LocalServer:
    """A local ArcadeDB server with the Bolt plugin, run as a child process owned by this one.

    Parameters
    ----------
    kg : KnowledgeGraph, optional
        Served (read-only) from the first database; the stored copy is checked
        by content hash at each start and rebuilt when it differs.
    cache_dir : path, optional
        Parent of the per-dataset folders (default: ``cache_root() / "bolt"``).
    databases : names of the databases; the first serves ``kg`` read-only, the others are
        scratch databases the ``writer`` user may change (emptied at each start).
    query_timeout : seconds after which the server aborts any query (None: no limit).
    port : Bolt port (default: a free one).
    detached : run the child in its own session, not tied to this process (see ``shared_server``).
    idle_seconds : a detached server stops after this long without any Bolt connection.
    """

    def __init__(self, kg: "KnowledgeGraph | None" = None, *, cache_dir: str | Path | None = None,
                 databases: Iterable[str] = (DEFAULT_DATABASE, WORK_DATABASE), query_timeout: float | None = None,
                 port: int | None = None, start_timeout: float = 120.0, detached: bool = False,
                 idle_seconds: float | None = None, key: str | None = None):
        self.kg = kg
        self.key = key or dataset_hash(kg)
        self.folder = Path(cache_dir or cache_root() / "bolt") / self.key
        self.databases = tuple(databases)
        self.database = self.databases[0]
        self.work_databases = self.databases[1:]
        self.work_database = self.work_databases[0] if self.work_databases else None
        self.query_timeout = query_timeout
        self.port = port or 0
        self.user = READER
        self.password = ""
        self.write_user = WRITER
        self.write_password = ""
        self.start_timeout = start_timeout
        self.detached = detached
        self.idle_seconds = idle_seconds
        self.start_seconds = 0.0
        self.load_seconds = 0.0
        self.loaded = False
        self.rebuilt = False
        self.content_hash = ""
        self._pid: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._driver: Any = None
        self._write_driver: Any = None
        self._ctl = threading.Lock()

    # ------------------------------------------------------------------ properties
    @property
    def uri(self) -> str:
        """The Bolt URI (``bolt://127.0.0.1:PORT``)."""
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """The server's log file."""
        return self.folder / "server.log"

    @property
    def pid(self) -> int | None:
        """Process id of the child (None when stopped)."""
        if self._proc is not None:
            return self._proc.pid if self._proc.poll() is None else None
        return self._pid if self._pid and _pid_alive(self._pid) else None

    def alive(self) -> bool:
        """True while the child process runs."""
        return self.pid is not None

    def __repr__(self) -> str:
        state = f"running at {self.uri}" if self.alive() else "stopped"
        return f"<LocalServer {self.key} {state}>"

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _check_not_running(self) -> None:
        info = read_discovery(self.folder)
        if info and _pid_alive(int(info["pid"])) and _is_our_child(int(info["pid"])):
            raise StoreError(f"a local server already runs for this dataset (pid {info['pid']}, {info['uri']}); "
                             "`cnaikg cypher` uses it; stop it with `cnaikg serve --stop`")

    def start(self) -> "LocalServer":
        """Start the child, wait until Bolt answers, and make sure the served database holds exactly ``kg``."""
        if self.alive():
            return self
        try:
            import arcadedb_embedded  # noqa: F401
        except ImportError as exc:
            raise StoreError("the bundled Bolt server needs the package arcadedb-embedded; run `pip install arcadedb-embedded` "
                             "(or pass --uri to use your own Neo4j server)") from exc
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        self._check_not_running()
        t0 = time.perf_counter()
        expected = self._expected_hash()
        marker = self.folder / "loaded.json"
        stored_ok = marker.is_file() and json.loads(marker.read_text()).get("content_hash") == expected \
            and (self.folder / "databases" / "databases" / self.database).is_dir()
        self._spawn(load=self.kg is not None and not stored_ok)
        if self.kg is not None:
            got = self._verify()
            if got != expected and not self.loaded:
                from cnaikg.progress import log

                log(f"the stored database differs from the dataset (content hash {got} != {expected}); rebuilding it")
                self.kill()
                self._spawn(load=True)
                self.rebuilt = True
                got = self._verify()
            if got != expected:
                self.kill()
                raise StoreError(f"the local database does not hold the dataset after loading (content hash {got} != {expected}); "
                                 f"see {self.log_path} and report this")
            self.content_hash = got
            _write_private(marker, json.dumps({"key": self.key, "content_hash": got, "layout": LAYOUT_VERSION}))
        self.start_seconds = time.perf_counter() - t0
        self._write_discovery()
        if not self.detached:
            _LIVE.add(self)
            _install_signal_handlers()
        return self

    def _expected_hash(self) -> str:
        if self.kg is None:
            return ""
        from cnaikg.graph.store.writer import graph_content_hash

        return graph_content_hash(self.kg)

    def _verify(self) -> str:
        from cnaikg.graph.store.writer import database_content_hash

        return database_content_hash(self.driver(), database=self.database)

    def _spawn(self, *, load: bool) -> None:
        db_root = self.folder / "databases"
        # fresh users and groups at every start (new passwords); scratch databases start empty
        shutil.rmtree(db_root / "config", ignore_errors=True)
        for name in self.work_databases:
            shutil.rmtree(db_root / "databases" / name, ignore_errors=True)
        if load:
            shutil.rmtree(db_root / "databases" / self.database, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                (self.folder / "loaded.json").unlink()
        plan_path = None
        if load and self.kg is not None:
            plan_path = self.folder / "load.json"
            _write_private(plan_path, json.dumps(load_plan(self.kg), ensure_ascii=False))
        port = self.port or free_port()
        self.password = secrets.token_urlsafe(18)
        self.write_password = secrets.token_urlsafe(18)
        config = {
            "root": str(db_root), "bolt_port": port, "http_port": free_port(),
            "served": self.database, "work": list(self.work_databases),
            "reader_password": self.password, "writer_password": self.write_password,
            "timeout_ms": int(self.query_timeout * 1000) if self.query_timeout else 0,
            "parent": None if self.detached else os.getpid(), "idle_seconds": self.idle_seconds,
            "load": str(plan_path) if plan_path else None,
        }
        db_root.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        os.chmod(self.log_path, 0o600)
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "cnaikg.graph.store.server", "--child"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=self.folder,
                start_new_session=True, close_fds=True,
            )
        finally:
            log.close()
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write((json.dumps(config) + "\n").encode())
        self._proc.stdin.flush()
        reply = self._reply(self.start_timeout)
        if plan_path is not None:
            with contextlib.suppress(FileNotFoundError):
                plan_path.unlink()
        if not reply.get("ready"):
            self.kill()
            raise StoreError(f"the local Bolt server did not start ({reply.get('error', 'no answer')}); see {self.log_path}")
        self.port = port
        self._pid = self._proc.pid
        self.loaded = bool(reply.get("loaded"))
        self.load_seconds = float(reply.get("load_seconds", 0.0))
        if self.detached:  # hand the child over: it lives on its own until idle or `serve --stop`
            for stream in (self._proc.stdin, self._proc.stdout):
                with contextlib.suppress(Exception):
                    stream.close()
            self._proc = None

    def _reply(self, timeout: float) -> dict[str, Any]:
        """Read one JSON line from the child's handshake pipe within ``timeout`` seconds."""
        import selectors

        assert self._proc is not None and self._proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self._proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        buf = b""
        while time.monotonic() < deadline:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            chunk = os.read(self._proc.stdout.fileno(), 65536)
            if not chunk:
                return {"error": f"the server process exited with code {self._proc.wait()}"}
            buf += chunk
            if b"\n" in buf:
                line = buf.split(b"\n", 1)[0]
                with contextlib.suppress(ValueError):
                    return dict(json.loads(line))
                return {"error": line.decode(errors="replace")}
        return {"error": f"no answer within {timeout:.0f} s"}

    def _write_discovery(self) -> None:
        info = {"pid": self._pid, "port": self.port, "uri": self.uri, "user": self.user, "password": self.password,
                "database": self.database, "write_user": self.write_user, "write_password": self.write_password,
                "work_database": self.work_database, "key": self.key, "content_hash": self.content_hash,
                "detached": self.detached, "idle_seconds": self.idle_seconds, "query_timeout": self.query_timeout}
        _write_private(self.folder / DISCOVERY, json.dumps(info))

    def _remove_discovery(self) -> None:
        info = read_discovery(self.folder)
        if info and info.get("pid") == self._pid:
            with contextlib.suppress(FileNotFoundError):
                (self.folder / DISCOVERY).unlink()

    def set_query_timeout(self, seconds: float | None) -> None:
        """Make the server abort any query running longer than ``seconds`` (None: no limit); attached servers only."""
        if not self.alive() or self._proc is None:
            raise StoreError("the local server is not running under this process; start it first")
        assert self._proc.stdin is not None
        with self._ctl:
            self._proc.stdin.write((json.dumps({"timeout_ms": int(seconds * 1000) if seconds else 0}) + "\n").encode())
            self._proc.stdin.flush()
            reply = self._reply(10)
        if not reply.get("ok"):
            raise StoreError(f"the local server did not accept the timeout ({reply.get('error')}); see {self.log_path}")
        self.query_timeout = seconds

    def driver(self) -> Any:
        """A neo4j driver for the read-only ``reader`` user (created once, closed by ``stop``)."""
        if not self.alive():
            raise StoreError("the local server is not running; start it first")
        if self._driver is None:
            from neo4j import GraphDatabase

            self._driver = GraphDatabase.driver(self.uri, auth=(self.user, self.password))
        return self._driver

    def write_driver(self) -> Any:
        """A neo4j driver for the ``writer`` user, who may change the scratch databases only."""
        if not self.alive():
            raise StoreError("the local server is not running; start it first")
        if self._write_driver is None:
            from neo4j import GraphDatabase

            self._write_driver = GraphDatabase.driver(self.uri, auth=(self.write_user, self.write_password))
        return self._write_driver

    def run(self, query: str, params: dict[str, Any] | None = None, *, write: bool = False,
            timeout: float | None = None, **kw: Any) -> "QueryResult":
        """Run one query: on the served database as ``reader``, or with ``write`` on the scratch database as ``writer``.

        ``timeout`` in seconds is enforced by the server (attached servers only).
        """
        from cnaikg.graph.store.writer import run_query

        params = {**(params or {}), **kw}
        if write:
            if not self.work_database:
                raise StoreError("this server has no scratch database to write to")
            driver, database = self.write_driver(), self.work_database
        else:
            driver, database = self.driver(), self.database
        if timeout is None:
            return run_query(driver, query, params, database=database, write=write)
        previous = self.query_timeout
        self.set_query_timeout(timeout)
        try:
            return run_query(driver, query, params, database=database, write=write)
        finally:
            if self.alive():
                self.set_query_timeout(previous)

    def _close_drivers(self) -> None:
        for attr in ("_driver", "_write_driver"):
            d = getattr(self, attr)
            if d is not None:
                with contextlib.suppress(Exception):
                    d.close()
                setattr(self, attr, None)

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server cleanly (close its pipe, or SIGTERM a detached one), killing it after ``timeout`` seconds."""
        self._close_drivers()
        proc = self._proc
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(Exception):
                    assert proc.stdin is not None
                    proc.stdin.close()
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.kill()
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(Exception):
                    stream and stream.close()
        elif self._pid and _pid_alive(self._pid) and _is_our_child(self._pid):
            _terminate(self._pid, timeout)
        self._remove_discovery()
        self._proc = None
        _LIVE.discard(self)

    def kill(self) -> None:
        """Kill the child's process group at once (SIGKILL); used when a query must be stopped now."""
        self._close_drivers()
        proc = self._proc
        pid = proc.pid if proc is not None else self._pid
        if pid and (proc is not None and proc.poll() is None or proc is None and _is_our_child(pid)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            if proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                proc.wait(10)
        self._remove_discovery()

    def restart(self) -> "LocalServer":
        """Kill and start again on the same folder; the stored database is verified by content hash again."""
        self.kill()
        self._proc = None
        return self.start()


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _pid_alive(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------- sharing
def read_discovery(folder: str | Path) -> dict[str, Any] | None:
    """The discovery file of the server running for ``folder`` (None when there is none or it is unreadable)."""
    try:
        return dict(json.loads((Path(folder) / DISCOVERY).read_text()))
    except (OSError, ValueError):
        return None


def _attach(folder: Path, info: Mapping[str, Any]) -> LocalServer:
    srv = LocalServer(cache_dir=folder.parent, key=folder.name, databases=(info["database"], info.get("work_database") or WORK_DATABASE))
    srv.port, srv.password, srv.write_password = int(info["port"]), info["password"], info["write_password"]
    srv._pid = int(info["pid"])
    srv.content_hash = info.get("content_hash", "")
    srv.detached = True
    return srv


def _answers(srv: LocalServer) -> bool:
    try:
        srv.driver().verify_connectivity()
        return True
    except Exception:
        srv._close_drivers()
        return False


def shared_server(key: str, kg_factory: Any, *, cache_dir: str | Path | None = None, idle_seconds: float = DEFAULT_IDLE_SECONDS,
                  query_timeout: float | None = 600.0, wait: float = 180.0) -> LocalServer:
    """The running server for dataset ``key`` (started by `cnaikg serve` or an earlier call), or a new detached one.

    ``kg_factory()`` builds the graph only when a server has to be started. Two
    processes calling this at once both succeed: one starts the server under a
    file lock, the other waits for it and attaches. The returned object's
    ``stop()`` does not stop a server it did not start; use ``stop_shared_server``.
    """
    import fcntl

    folder = Path(cache_dir or cache_root() / "bolt") / key
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    info = read_discovery(folder)
    if info and _pid_alive(int(info["pid"])):
        srv = _attach(folder, info)
        if _answers(srv):
            return srv
    with open(folder / "start.lock", "a+") as lock:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise StoreError(f"another cnaikg process has been starting the local server for {wait:.0f} s; "
                                     f"see {folder / 'server.log'}") from None
                time.sleep(0.1)
        try:
            info = read_discovery(folder)  # someone may have started it while we waited
            if info and _pid_alive(int(info["pid"])):
                srv = _attach(folder, info)
                if _answers(srv):
                    return srv
                if _is_our_child(int(info["pid"])):
                    _terminate(int(info["pid"]), 10)
            from cnaikg.progress import log

            t0 = time.perf_counter()
            log("starting the local Bolt server (it stays up for the next queries) ...")
            srv = LocalServer(kg_factory(), cache_dir=folder.parent, key=key, detached=True, idle_seconds=idle_seconds,
                              query_timeout=query_timeout)
            srv.start()
            log(f"local Bolt server ready in {time.perf_counter() - t0:.1f} s"
                + (f" (graph loaded in {srv.load_seconds:.1f} s)" if srv.loaded else " (stored graph verified)")
                + f"; it stops after {idle_seconds:.0f} s without queries, or with `cnaikg serve --stop`")
            return srv
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def stop_shared_server(key: str | None = None, *, cache_dir: str | Path | None = None) -> list[int]:
    """Stop the detached or serving local servers (of dataset ``key``, or all in the cache); return their pids."""
    root = Path(cache_dir or cache_root() / "bolt")
    folders = [root / key] if key else (sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else [])
    stopped = []
    for folder in folders:
        info = read_discovery(folder)
        if not info:
            continue
        pid = int(info["pid"])
        if _pid_alive(pid) and _is_our_child(pid):
            _terminate(pid, 20)
            stopped.append(pid)
        with contextlib.suppress(FileNotFoundError):
            (folder / DISCOVERY).unlink()
    return stopped


# ---------------------------------------------------------------------------------------------- child side
def _die_with_parent(parent: int) -> None:
    """Linux: ask for SIGKILL when the parent dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:
        os._exit(3)


def security_groups(served: str, work: Iterable[str], timeout_ms: int) -> dict[str, Any]:
    """ArcadeDB's server-groups.json: ``reader`` may only read ``served``; ``writer`` may change ``work`` databases.

    Any other user or group gets no right at all (the ``*`` group of every database).

    >>> g = security_groups("cnaikg", ["scratch"], 0)["databases"]
    >>> g["cnaikg"]["groups"]["reader"]["types"]["*"]["access"], g["cnaikg"]["groups"]["reader"]["access"]
    (['readRecord'], [])
    """
    nothing = {"resultSetLimit": -1, "readTimeout": -1, "access": [], "types": {"*": {"access": []}}}
    read_only = {"resultSetLimit": -1, "readTimeout": timeout_ms or -1, "access": [], "types": {"*": {"access": ["readRecord"]}}}
    read_write = {"resultSetLimit": -1, "readTimeout": timeout_ms or -1, "access": ["updateSchema"],
                  "types": {"*": {"access": ["createRecord", "readRecord", "updateRecord", "deleteRecord"]}}}
    admin = {"resultSetLimit": -1, "readTimeout": -1, "access": ["updateSecurity", "updateSchema", "updateDatabaseSettings"],
             "types": {"*": {"access": ["createRecord", "readRecord", "updateRecord", "deleteRecord"]}}}
    dbs: dict[str, Any] = {"*": {"groups": {"admin": admin, "*": nothing}},
                           served: {"groups": {"reader": read_only, "*": nothing}}}
    for name in work:
        dbs[name] = {"groups": {"writer": read_write, "*": nothing}}
    return {"databases": dbs, "version": 2}


def _listening_ports(pid: int) -> list[int]:
    """TCP ports process ``pid`` listens on (Linux /proc)."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and parts[9] in inodes:
                    ports.append(int(parts[1].rsplit(":", 1)[1], 16))
    return sorted(set(ports))


def _established(port: int) -> int:
    """Number of established TCP connections to local ``port``."""
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                    n += 1
    return n


def _child_main() -> None:  # pragma: no cover - runs in the child process
    """Run the server in this process; answer control lines on the handshake pipe; stop on EOF, SIGTERM or idleness."""
    config = json.loads(sys.stdin.buffer.readline())
    detached = config.get("parent") is None
    if not detached:
        _die_with_parent(int(config["parent"]))
    handshake = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # the JVM's and the server's own prints go to the log file, not the parent's pipe

    def say(obj: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):
            handshake.write(json.dumps(obj) + "\n")
            handshake.flush()

    def hard_exit(code: int = 0) -> None:
        os._exit(code)

    server: Any = None

    def shutdown(*_: Any) -> None:
        timer = threading.Timer(10.0, hard_exit, (0,))
        timer.daemon = True
        timer.start()
        with contextlib.suppress(Exception):
            if server is not None:
                server.stop()
        hard_exit(0)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches the parent only
    if detached:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    reply: dict[str, Any] = {"ready": True, "pid": os.getpid()}
    try:
        root = Path(config["root"])
        (root / "config").mkdir(parents=True, exist_ok=True)
        os.chmod(root / "config", 0o700)
        served, work = config["served"], list(config["work"])
        (root / "config" / "server-groups.json").write_text(json.dumps(security_groups(served, work, int(config["timeout_ms"]))))
        from arcadedb_embedded.server import ArcadeDBServer
        import jpype

        server = ArcadeDBServer(root_path=str(root), root_password=secrets.token_urlsafe(24), config={
            "host": "127.0.0.1", "http_port": config["http_port"],
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin", "bolt_port": config["bolt_port"],
            "bolt_defaultDatabase": served,
            "opencypher_loadCsv_allowFileUrls": "false", "opencypher_loadCsv_allowRemoteUrls": "false",
            "opencypher_loadCsv_importDirectory": str(root / "no-import"),
            "polyglotEngineEnabled": "false", "server_security_importAllowedLocalPaths": str(root / "no-import"),
        })
        gc = jpype.JClass("com.arcadedb.GlobalConfiguration")
        gc.OPENCYPHER_LOAD_CSV_ALLOW_FILE_URLS.setValue(False)
        gc.OPENCYPHER_LOAD_CSV_ALLOW_REMOTE_URLS.setValue(False)
        gc.OPENCYPHER_LOAD_CSV_IMPORT_DIRECTORY.setValue(str(root / "no-import"))
        with contextlib.suppress(Exception):
            gc.POLYGLOT_ENGINE_ENABLED.setValue(False)
        gc.COMMAND_TIMEOUT.setValue(int(config["timeout_ms"]))
        server.start()
        java = server._java_server
        with contextlib.suppress(Exception):  # no HTTP API, no Studio: only Bolt listens
            java.getHttpServer().stopService()
        dbs = {name: server.create_database(name) for name in [served, *work]}
        if config.get("load"):
            t0 = time.perf_counter()
            plan = _decode_rows(json.loads(Path(config["load"]).read_text()))
            db = dbs[served]
            for step in plan["steps"]:
                t1 = time.perf_counter()
                if step.get("schema"):
                    db.command("opencypher", step["query"])
                for i in range(0, len(step["rows"]), 20000):
                    with db.transaction():
                        db.command("opencypher", step["query"], {"rows": step["rows"][i:i + 20000]})
                print(f"load: {len(step['rows'])} rows in {time.perf_counter() - t1:.3f} s: {step['query'][:60]}", file=sys.stderr, flush=True)
            reply.update(loaded=True, load_seconds=time.perf_counter() - t0)
        security = java.getSecurity()
        json_object = jpype.JClass("com.arcadedb.serializer.json.JSONObject")
        users = [(READER, config["reader_password"], {served: ["reader"]}),
                 (WRITER, config["writer_password"], {served: ["reader"], **{w: ["writer"] for w in work}})]
        for name, password, databases in users:
            security.createUser(json_object(json.dumps({"name": name, "password": str(security.encodePassword(password)),
                                                        "databases": databases})))
        with contextlib.suppress(Exception):
            security.dropUser("root")
        reply["listening"] = _listening_ports(os.getpid())
    except BaseException as exc:  # report, then exit: the parent turns it into a StoreError
        say({"ready": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"})
        hard_exit(1)
    say(reply)
    if detached:
        handshake.close()
        idle = float(config.get("idle_seconds") or DEFAULT_IDLE_SECONDS)
        last = time.monotonic()
        while True:
            time.sleep(min(5.0, idle / 4))
            if _established(int(config["bolt_port"])):
                last = time.monotonic()
            elif time.monotonic() - last > idle:
                print(f"stopping after {idle:.0f} s without a Bolt connection", file=sys.stderr, flush=True)
                shutdown()
    for line in sys.stdin.buffer:  # the control pipe; EOF means the parent is gone or wants us to stop
        try:
            msg = json.loads(line)
            if "timeout_ms" in msg:
                gc.COMMAND_TIMEOUT.setValue(int(msg["timeout_ms"]))
            say({"ok": True})
        except Exception as exc:
            say({"ok": False, "error": str(exc)})
    shutdown()


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["--child"]:
        _child_main()
    else:
        print("this module is started by cnaikg (LocalServer); run `cnaikg serve` instead", file=sys.stderr)
        sys.exit(2)
