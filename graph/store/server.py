"""The bundled local Bolt endpoint: ArcadeDB (from arcadedb-embedded) in a child process that cnaikg owns.

``LocalServer`` starts the server bound to 127.0.0.1 on a free port, with a
generated password, its databases under a cache folder keyed by the dataset's
content hash (an unchanged dataset is not reloaded), and its logs in
``server.log`` in that folder. The official neo4j driver talks to it over Bolt.

The child dies with its parent, however the parent ends:
- it watches a pipe from the parent (its stdin) and stops when the pipe closes,
  which the kernel does on any exit, including ``kill -9``;
- on Linux it also asks the kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG);
- the parent stops it from ``__exit__``, from ``atexit`` and on SIGTERM/SIGHUP.
The Java runtime runs inside the child process (JPype), so no separate java
process can be left behind.

>>> from cnaikg.graph import build_graph
>>> with LocalServer(build_graph()) as srv:                      # doctest: +SKIP
...     srv.run("MATCH (n:Company {id: $id}) RETURN n.name AS name", id="smic").rows
[{'name': 'SMIC'}]
"""

from __future__ import annotations

import atexit
import contextlib
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
from typing import TYPE_CHECKING, Any, Iterable

from cnaikg.errors import StoreError

if TYPE_CHECKING:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.neo4j_writer import PushReport, QueryResult

__all__ = ["LocalServer", "cache_root", "dataset_hash", "free_port", "USER", "DEFAULT_DATABASE"]

USER = "root"
DEFAULT_DATABASE = "cnaikg"
#: bump when the way the graph is written changes, so cached databases are rebuilt
LAYOUT_VERSION = "1"
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


class LocalServer:
    """A local ArcadeDB server with the Bolt plugin, run as a child process owned by this one.

    Parameters
    ----------
    kg : KnowledgeGraph, optional
        Loaded into the default database on start (skipped when the cache
        already holds exactly this graph).
    cache_dir : path, optional
        Parent of the per-dataset folders (default: ``cache_root() / "bolt"``).
    databases : names of the databases to create (the first is the default).
    query_timeout : seconds after which the server aborts any query (None: no limit).
    port : Bolt port (default: a free one).
    """

    def __init__(self, kg: "KnowledgeGraph | None" = None, *, cache_dir: str | Path | None = None,
                 databases: Iterable[str] = (DEFAULT_DATABASE,), query_timeout: float | None = None,
                 port: int | None = None, start_timeout: float = 120.0):
        self.kg = kg
        self.key = dataset_hash(kg)
        self.folder = Path(cache_dir or cache_root() / "bolt") / self.key
        self.databases = tuple(databases)
        self.database = self.databases[0]
        self.query_timeout = query_timeout
        self.port = port or 0
        self.user = USER
        self.password = ""
        self.start_timeout = start_timeout
        self.start_seconds = 0.0
        self.load_report: "PushReport | None" = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._driver: Any = None
        self._lock_fh: Any = None
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
        return self._proc.pid if self._proc and self._proc.poll() is None else None

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

    def _take_lock(self) -> None:
        import fcntl

        self.folder.mkdir(parents=True, exist_ok=True)
        fh = open(self.folder / "server.lock", "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise StoreError(f"another cnaikg process already runs the local server for this dataset ({self.folder}); "
                             "connect to it with --uri/--user and the password `cnaikg serve` printed, or stop it first") from None
        self._lock_fh = fh

    def start(self) -> "LocalServer":
        """Start the child, wait until Bolt answers, and load ``kg`` unless the cache already holds it."""
        if self.alive():
            return self
        try:
            import arcadedb_embedded  # noqa: F401
        except ImportError as exc:
            raise StoreError("the bundled Bolt server needs the package arcadedb-embedded; run `pip install arcadedb-embedded` "
                             "(or pass --uri to use your own Neo4j server)") from exc
        if self._lock_fh is None:
            self._take_lock()
        t0 = time.perf_counter()
        marker = self.folder / "loaded.json"
        fresh = not (marker.is_file() and json.loads(marker.read_text()).get("key") == self.key)
        if fresh:
            with contextlib.suppress(FileNotFoundError):
                marker.unlink()
            shutil.rmtree(self.folder / "databases", ignore_errors=True)
        # the root password is only read at first start: forget the old one so each start generates its own
        shutil.rmtree(self.folder / "databases" / "config", ignore_errors=True)
        self.password = secrets.token_urlsafe(18)
        self._spawn()
        self.start_seconds = time.perf_counter() - t0
        _LIVE.add(self)
        _install_signal_handlers()
        if self.kg is not None and fresh:
            from cnaikg.graph.neo4j_writer import GraphWriter

            self.load_report = GraphWriter(self.driver(), database=self.database, ontology=self.kg.ontology).push(self.kg)
            from cnaikg.io import write_json_atomic

            write_json_atomic(marker, {"key": self.key, "counts": self.load_report.counts})
        return self

    def _spawn(self) -> None:
        port = self.port or free_port()
        config = {
            "root": str(self.folder / "databases"), "password": self.password, "bolt_port": port,
            "http_port": free_port(), "https_port": free_port(), "databases": list(self.databases),
            "timeout_ms": int(self.query_timeout * 1000) if self.query_timeout else 0, "parent": os.getpid(),
        }
        log = open(self.log_path, "ab")
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "cnaikg.graph.bolt", "--child"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=self.folder,
                start_new_session=True, close_fds=True,
            )
        finally:
            log.close()
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write((json.dumps(config) + "\n").encode())
        self._proc.stdin.flush()
        reply = self._reply(self.start_timeout)
        if not reply.get("ready"):
            self.kill()
            raise StoreError(f"the local Bolt server did not start ({reply.get('error', 'no answer')}); see {self.log_path}")
        self.port = port

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

    def set_query_timeout(self, seconds: float | None) -> None:
        """Make the server abort any query running longer than ``seconds`` (None: no limit)."""
        if not self.alive():
            raise StoreError("the local server is not running; start it first")
        assert self._proc is not None and self._proc.stdin is not None
        with self._ctl:
            self._proc.stdin.write((json.dumps({"timeout_ms": int(seconds * 1000) if seconds else 0}) + "\n").encode())
            self._proc.stdin.flush()
            reply = self._reply(10)
        if not reply.get("ok"):
            raise StoreError(f"the local server did not accept the timeout ({reply.get('error')}); see {self.log_path}")
        self.query_timeout = seconds

    def driver(self) -> Any:
        """A neo4j driver connected to this server (created once, closed by ``stop``)."""
        if not self.alive():
            raise StoreError("the local server is not running; start it first")
        if self._driver is None:
            from neo4j import GraphDatabase

            self._driver = GraphDatabase.driver(self.uri, auth=(self.user, self.password))
        return self._driver

    def run(self, query: str, params: dict[str, Any] | None = None, *, write: bool = False,
            timeout: float | None = None, **kw: Any) -> "QueryResult":
        """Run one query on the default database (read-only unless ``write``); ``timeout`` in seconds is enforced by the server."""
        from cnaikg.graph.neo4j_writer import run_query

        params = {**(params or {}), **kw}
        if timeout is None:
            return run_query(self.driver(), query, params, database=self.database, write=write)
        previous = self.query_timeout
        self.set_query_timeout(timeout)
        try:
            return run_query(self.driver(), query, params, database=self.database, write=write)
        finally:
            if self.alive():
                self.set_query_timeout(previous)

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server cleanly (close its pipe), killing it if it does not exit within ``timeout`` seconds."""
        if self._driver is not None:
            with contextlib.suppress(Exception):
                self._driver.close()
            self._driver = None
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
        self._proc = None
        _LIVE.discard(self)
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None

    def kill(self) -> None:
        """Kill the child's process group at once (SIGKILL); used when a query must be stopped now."""
        if self._driver is not None:
            with contextlib.suppress(Exception):
                self._driver.close()
            self._driver = None
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait(10)

    def restart(self) -> "LocalServer":
        """Kill and start again on the same folder (the loaded data stays)."""
        self.kill()
        self._spawn()
        return self


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


def _child_main() -> None:  # pragma: no cover - runs in the child process
    """Run the server in this process until stdin closes; answer control lines on the handshake pipe."""
    config = json.loads(sys.stdin.buffer.readline())
    _die_with_parent(int(config["parent"]))
    handshake = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # the JVM's and the server's own prints go to the log file, not the parent's pipe

    def say(obj: dict[str, Any]) -> None:
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
    try:
        from arcadedb_embedded.server import ArcadeDBServer
        import jpype

        server = ArcadeDBServer(root_path=config["root"], root_password=config["password"], config={
            "host": "127.0.0.1", "http_port": config["http_port"], "server_httpsIncomingPort": str(config["https_port"]),
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin", "bolt_port": config["bolt_port"],
            "bolt_defaultDatabase": config["databases"][0],
        })
        gc = jpype.JClass("com.arcadedb.GlobalConfiguration")
        gc.COMMAND_TIMEOUT.setValue(int(config["timeout_ms"]))
        server.start()
        for name in config["databases"]:
            server.create_database(name)
    except BaseException as exc:  # report, then exit: the parent turns it into a StoreError
        say({"ready": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"})
        hard_exit(1)
    say({"ready": True, "pid": os.getpid()})
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
