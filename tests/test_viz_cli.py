"""The `viz` command as a user meets it: defaults under out/, mistakes as one line on stderr; and the system-package set-up."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, run_cli


def cli(capsys, cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run `cnaikg ARGS` in this process (as the console script does) from ``cwd``; return code, stdout, stderr."""
    from cnaikg.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(list(args))
    finally:
        os.chdir(old)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_viz_without_out_writes_under_out(tmp_path, capsys):
    code, out, _ = cli(capsys, tmp_path, "viz", "--focus", "0981.HK", "--size-by", "degree")
    assert code == 0 and (tmp_path / "out" / "network-smic.html").exists() and "wrote out/network-smic.html" in out
    code, out, _ = cli(capsys, tmp_path, "viz", "--size-by", "degree")
    assert code == 0 and (tmp_path / "out" / "network.html").exists()
    assert not list(tmp_path.glob("*.html")), "nothing is written into the current folder"


@pytest.mark.parametrize("args,message", [
    (["--size-by", "name"], "cannot size nodes by 'name': it is not a numeric column; use one of auto, degree, pagerank, policy_proximity"),
    (["--size-by", "on_export_control_list"], "it is not a numeric column"),
    (["--size-by", "beauty"], "cannot size nodes by 'beauty'; use one of"),
    (["--hops", "-1"], "--hops must be 0 or more"),
    (["--max-nodes", "0"], "--max-nodes must be at least 1"),
    (["--as-of", "2023-13"], "is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
    (["--focus", "no such company at all"], "nothing matches"),
    (["--types", "startups"], "unknown entity type 'startups'"),
    (["--relations", "OWNED_BY"], "unknown relationship type 'OWNED_BY'"),
    (["--out", "x.png"], "does not end in .html"),
])
def test_user_mistakes_are_one_line_and_a_non_zero_exit(tmp_path, capsys, args, message):
    code, out, err = cli(capsys, tmp_path, "viz", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("cnaikg viz: error:"), err
    assert not (tmp_path / "out").exists(), "a mistake writes nothing"


def test_a_user_mistake_in_a_real_process_has_no_traceback(tmp_path):
    proc = run_cli("viz", "--size-by", "name", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_size_by_a_numeric_feature_column_works(kg):
    from cnaikg.graph.views.viz import network_view
    from cnaikg.queries.features import features

    v = network_view(kg, size_by="state_stake_lookthrough", features=features(kg))
    assert v.size_label.startswith("state_stake_lookthrough")


SCRIPT = REPO / "scripts" / "system-deps.sh"


def test_system_deps_says_what_it_did_when_nothing_is_missing():
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium missing here: the script would install it")
    proc = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "chromium is already installed" in proc.stderr and "fonts-noto-cjk is already installed" in proc.stderr
    assert "nothing to install" in proc.stderr


def test_system_deps_waits_for_a_held_package_lock_then_gives_up_with_a_message(tmp_path):
    lock = tmp_path / "lock-frontend"
    lock.write_text("")
    fd = os.open(lock, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX)  # as apt or dpkg would hold it
    try:
        env = {**os.environ, "CNAIKG_APT_WAIT": "3", "CNAIKG_APT_LOCKS": str(lock), "CNAIKG_SYSDEPS_ASSUME_MISSING": "fonts-noto-cjk"}
        t0 = time.monotonic()
        proc = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60, env=env)
        took = time.monotonic() - t0
    finally:
        os.close(fd)
    if "not root (no sudo)" in proc.stderr:
        pytest.skip("neither root nor sudo here")
    assert proc.returncode == 1
    assert "waiting for it (up to 3 s)" in proc.stderr and "gave up after 3 s" in proc.stderr
    assert 1.0 < took < 30, "it waited for the lock, and the wait is bounded"
