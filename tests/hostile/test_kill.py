"""Outputs are a set: `build`, `load` and `accept` killed (SIGKILL) at random moments leave the old set or the new one,
never a mix; a full disk (a file-size limit) leaves the old set and one clear error."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import HERE, make_data_dir

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def _cli(*args: str, preexec=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cnaikg", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
                            preexec_fn=preexec)


def _timed(*args: str) -> float:
    t = time.perf_counter()
    p = _cli(*args)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err.decode()[-2000:]
    return time.perf_counter() - t


def _snap(folder: Path, only: tuple[str, ...] = ()) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    files = [folder / o for o in only] if only else sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): p.read_bytes() for p in files if p.is_file()}


def _restore(folder: Path, files: dict[str, bytes]) -> None:
    """Put the old set back, so that every killed run starts from it."""
    shutil.rmtree(folder, ignore_errors=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def _kill_runs(args: list[str], runs: int, duration: float, seed: int, check, before_each=None) -> list[str]:
    rng = random.Random(seed)
    seen = []
    for i in range(runs):
        if before_each:
            before_each()
        p = _cli(*args)
        time.sleep(rng.uniform(0.4, 1.05) * duration)  # the first ~40% is interpreter start-up: aim at the writing
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        p.communicate(timeout=60)
        seen.append(check())
    return seen


def test_build_killed_at_random_moments_leaves_the_old_or_the_new_set(tmp_path):
    old_data = make_data_dir(tmp_path / "a")
    new_data = make_data_dir(tmp_path / "b")
    (new_data / "entities.csv").write_text((new_data / "entities.csv").read_text(encoding="utf-8")
                                           + "newco,company,NewCo,,,,,,,,,\n", encoding="utf-8")
    out = tmp_path / "out"
    ref_new = tmp_path / "ref-new"
    steps = ("--steps", "graph-json,tables,features")  # the staging and the switch are the same for every step; fewer keep it fast
    _timed("build", "--data", str(new_data), "--out", str(ref_new), *steps)
    duration = _timed("build", "--data", str(old_data), "--out", str(out), *steps)
    old, new = _snap(out), _snap(ref_new)
    assert old != new

    def check() -> str:
        got = _snap(out)
        assert got in (old, new), f"a mix: {sorted(set(got) ^ set(old))[:5]} / {[k for k in got if got[k] != old.get(k)][:5]}"
        return "new" if got == new else "old"

    seen = _kill_runs(["build", "--data", str(new_data), "--out", str(out), *steps], 4, duration, 1, check, before_each=lambda: _restore(out, old))
    print("build kills:", seen)

    # a full disk (a file-size limit) in the middle of writing: one clear line, the previous set kept, no staging left
    before = _snap(out)
    stale = {x.name for x in tmp_path.iterdir() if ".tmp-" in x.name}  # SIGKILLed runs cannot clean up; they are never read

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3_000, 3_000))

    p = _cli("build", "--data", str(old_data), "--out", str(out), *steps, preexec=small_disk)
    _, err = p.communicate(timeout=300)
    text = err.decode()
    assert p.returncode == 2 and "Traceback" not in text and "cannot" in text and "free" in text, text[-1500:]
    assert _snap(out) == before, "the previous complete output stays"
    assert not {x.name for x in tmp_path.iterdir() if ".tmp-" in x.name} - stale, "the failed run removed its staging folder"
    _timed("build", "--data", str(old_data), "--out", str(out), *steps)
    assert [x.name for x in tmp_path.iterdir() if x.name.startswith("out.tmp-")] == [], "staging folders of killed runs are cleaned up"


def test_load_killed_at_random_moments_leaves_the_old_or_the_new_set(tmp_path):
    from loaders_fixtures import fixture_data_dir

    data = fixture_data_dir(tmp_path)
    src = HERE / "data" / "loaders" / "shareholdings" / "good.csv"
    other = tmp_path / "other.csv"
    other.write_text("investor,investee,stake_pct,date,source\nTencent,Zhipu AI,4,2024-10,https://example.org/r\n", encoding="utf-8")
    out, ref = tmp_path / "out", tmp_path / "ref"
    _timed("load", "shareholdings", str(other), "--data", str(data), "--out", str(ref))
    duration = _timed("load", "shareholdings", str(src), "--data", str(data), "--out", str(out))
    old, new = _snap(out), _snap(ref)
    old.pop("load_report.json"), new.pop("load_report.json")  # it names the input file

    def check() -> str:
        got = _snap(out)
        got.pop("load_report.json", None)
        assert got in (old, new), "a mix of two loads"
        return "new" if got == new else "old"

    full_old = _snap(out)
    seen = _kill_runs(["load", "shareholdings", str(other), "--data", str(data), "--out", str(out)], 4, duration, 2, check,
                      before_each=lambda: _restore(out, full_old))
    print("load kills:", seen)


def test_accept_killed_at_random_moments_leaves_both_files_old_or_both_new(tmp_path):
    from cnaikg.loaders.accept import recover

    base = make_data_dir(tmp_path / "base")
    review = tmp_path / "review.csv"
    review.write_text("decision,kind,subject,relation,object,properties,confidence,evidence,source_url,source_publisher,source_published\n"
                      "accept,candidate,chipco,SUPPLIES,acme-ai,goods=boards,low,e,https://example.org/acc,Ex,2024-02-01\n", encoding="utf-8")
    files = ("relationships/news.csv", "sources/news.csv")
    ref = tmp_path / "ref" / "data"
    shutil.copytree(base, ref)
    duration = _timed("accept", str(review), "--data", str(ref))
    old, new = _snap(base, files), _snap(ref, files)
    assert old == {} and set(new) == set(files)
    work = tmp_path / "work" / "data"

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work)

    def check() -> str:
        recover(work)  # what any later command does first
        got = _snap(work, files)
        assert got in (old, new), f"a mix: {sorted(got)}"
        return "new" if got == new else "old"

    seen = _kill_runs(["accept", str(review), "--data", str(work)], 5, duration, 3, check, before_each=fresh)
    print("accept kills:", seen)
    fresh()
    _timed("accept", str(review), "--data", str(work))
    again = _cli("accept", str(review), "--data", str(work))
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0 and b"already in the curated data" in err and _snap(work, files) == new, "accepting twice changes nothing"


def test_an_accept_cut_between_its_two_renames_is_completed_by_the_next_command(tmp_path, monkeypatch):
    """The worst moment: one file renamed, the other not. The journal makes the next reader finish the set."""
    import cnaikg.loaders.accept as acc
    from cnaikg.loaders.curated import read_dataset

    data = make_data_dir(tmp_path)
    rel, src = data / "relationships" / "news.csv", data / "sources" / "news.csv"
    new = {rel: b"subject,relation,object,since,until,properties,sources,confidence,note\n"
                b"chipco,SUPPLIES,acme-ai,2024,,goods=boards,news-x,low,\n",
           src: b"id,url,publisher,published,title\nnews-x,https://example.org/x,Ex,2024-02-01,X\n"}
    real_replace, calls = os.replace, []

    def cut(a, b):
        calls.append(b)
        if len(calls) == 3:  # 1: the journal itself, 2: the first file, 3: the second file
            raise KeyboardInterrupt  # the process dies between the two renames
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", cut)
    try:
        acc.commit_files(data, new)
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(os, "replace", real_replace)
    assert (data / acc.JOURNAL).is_file() and sum(p.is_file() for p in new) == 1, "a mix on disk, with its journal"
    ds = read_dataset(data)  # any later command reads the folder first: it completes the set
    assert ds.errors == [] and all(p.read_bytes() == b for p, b in new.items()) and not (data / acc.JOURNAL).exists()
