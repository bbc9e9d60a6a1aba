"""Every case of the hostile corpus (corpus.py) through the real command line, in-process: the expected outcome
class, never a traceback, never a hang, never a partial output."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from corpus import CASES, Case  # noqa: E402

TESTS = Path(__file__).parent.parent
LIMIT_SECONDS = 60


class Hang(BaseException):
    """Raised by the alarm: the case ran longer than LIMIT_SECONDS."""


@pytest.fixture(scope="session")
def graph_data(tmp_path_factory):
    from cnaikg.paths import data_dir

    d = tmp_path_factory.mktemp("hostile-graph") / "graph"
    shutil.copytree(TESTS / "data" / "loaders" / "graph", d)
    shutil.copy(data_dir() / "ontology.toml", d / "ontology.toml")
    return d


def _previous_set(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True)
    (out / "old.csv").write_text("previous,complete,set\n", encoding="utf-8")
    (out / ".cnaikg-set").write_text("old.csv\n", encoding="utf-8")
    return _snapshot(out)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} if out.is_dir() else {}


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    from cnaikg.cli import main

    out, err = io.StringIO(), io.StringIO()

    def alarm(signum, frame):  # noqa: ARG001
        raise Hang()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(LIMIT_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(argv)
            except SystemExit as exc:  # argparse usage errors
                rc = int(exc.code or 0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return rc, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path, graph_data: Path):
    from conftest import make_data_dir

    inp = tmp_path / "in"
    inp.mkdir()
    for name, body in case.files.items():
        (inp / name).write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    if case.argv[0] in ("validate", "accept", "build"):
        data = make_data_dir(tmp_path)
        if case.data:
            case.data(data)
    else:
        data = graph_data
    out = tmp_path / "out"
    before = _previous_set(out)
    argv = [a.replace("{in}", str(inp)).replace("{data}", str(data)).replace("{out}", str(out)) for a in case.argv]
    data_before = _snapshot(data) if case.argv[0] == "accept" else None
    try:
        rc, stdout, stderr = run_in_process(argv)
    except Hang:
        pytest.fail(f"{case.id}: still running after {LIMIT_SECONDS} s (a hang)")
    text = stdout + stderr
    assert "Traceback" not in text and "internal error" not in text, f"{case.id}: {stderr[-2000:]}"
    leftovers = [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert leftovers == [], f"{case.id}: staging folders left behind: {leftovers}"
    if case.expect == "any":
        assert rc in (0, 2), f"{case.id}: exit {rc}\n{stderr[-1500:]}"
        if rc != 0:
            assert _snapshot(out) == before, f"{case.id}: the previous output was changed by a failed run"
        else:
            assert not (out / "old.csv").exists() and (out / "facts.csv").is_file(), f"{case.id}: the output is not the new set"
        return
    if case.expect == "error":
        assert rc != 0, f"{case.id}: exit 0 for bad input\n{stderr[-1500:]}"
        assert case.needle in stderr + stdout, f"{case.id}: expected {case.needle!r} in the message, got:\n{stderr[-1500:]}"
        assert _snapshot(out) == before, f"{case.id}: the previous output was changed by a failed run"
        if data_before is not None:
            assert _snapshot(data) == data_before, f"{case.id}: a refused accept wrote into the data folder"
        return
    assert rc in (0, *case.rc) or (case.expect == "ok" and case.argv[0] == "resolve" and rc == 1), f"{case.id}: exit {rc}\n{stderr[-1500:]}"
    if case.argv[0] == "load":
        assert not (out / "old.csv").exists() and (out / "facts.csv").is_file(), f"{case.id}: the output is not the new set"
        report = (out / "load_report.json").read_text(encoding="utf-8")
        facts = (out / "facts.csv").read_text(encoding="utf-8")
        text += report + facts + (out / "review.csv").read_text(encoding="utf-8") + (out / "unresolved.csv").read_text(encoding="utf-8")
        if case.expect == "skip":
            skipped = json.loads(report)["skipped"]
            assert skipped, f"{case.id}: nothing recorded as skipped"
            assert any(case.needle in json.dumps(s, ensure_ascii=False) for s in skipped) or case.needle in report, \
                f"{case.id}: expected {case.needle!r} among the skips: {json.dumps(skipped, ensure_ascii=False)[:1500]}"
        if case.absent:
            assert case.absent not in facts.split("\n", 1)[-1], f"{case.id}: {case.absent!r} was written as a fact:\n{facts[:1500]}"
    assert case.needle in text, f"{case.id}: expected {case.needle!r} in the output:\n{text[-2000:]}"


def test_the_corpus_is_large_and_covers_every_loader_and_command():
    from collections import Counter

    kinds = Counter(c.expect for c in CASES)
    assert len(CASES) >= 120 and kinds["error"] >= 30 and kinds["skip"] >= 30 and kinds["ok"] >= 10 and set(kinds) <= {"error", "skip", "ok", "any"}
    commands = {c.argv[0] for c in CASES}
    loaders = {c.argv[1] for c in CASES if c.argv[0] == "load"}
    assert {"load", "validate", "build", "accept", "resolve"} <= commands
    assert {"shareholdings", "csl", "opensanctions", "holdings", "wikidata", "news"} <= loaders
