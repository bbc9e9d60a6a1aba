"""Shared fixtures: the shipped graph (built once), a copy of the mini dataset, a CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parent
MINI = HERE / "data" / "mini"


@pytest.fixture(scope="session")
def kg():
    """The knowledge graph of the shipped dataset, built once per test session."""
    from cnaikg.graph import build_graph

    return build_graph()


def make_data_dir(tmp_path: Path, overlay: Path | None = None) -> Path:
    """A data folder in tmp_path: the mini dataset plus the shipped ontology, with files of ``overlay`` replacing its own."""
    from cnaikg.paths import data_dir

    d = tmp_path / "data"
    shutil.copytree(MINI, d)
    shutil.copy(data_dir() / "ontology.toml", d / "ontology.toml")
    if overlay is not None:
        for f in overlay.glob("*.csv"):
            shutil.copy(f, d / f.name)
    return d


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh copy of the valid mini dataset."""
    return make_data_dir(tmp_path)


def run_cli(*args: str, cwd: Path | None = None, check: bool = False, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m cnaikg ARGS` in a real subprocess, capturing text output."""
    import os

    e = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "cnaikg", *args], capture_output=True, text=True, cwd=cwd, env=e, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"cnaikg {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def curated_server(kg, tmp_path_factory):
    """One real bundled Bolt server for the session, serving the shipped graph read-only (and a scratch database)."""
    from cnaikg.graph.store.server import LocalServer

    srv = LocalServer(kg, cache_dir=tmp_path_factory.mktemp("bolt-cache"))
    srv.start()
    yield srv
    srv.stop()
