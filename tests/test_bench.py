"""`make bench`: benchmarks/run.py finds every benchmark, runs it at a size and prints one table (smoke run, tiny sizes).

Speed itself is never asserted here (the machine is shared); the benchmarks measure it.
"""

import json
import subprocess
import sys

from conftest import REPO

RUN = REPO / "benchmarks" / "run.py"


def run_py(*args, cwd=REPO):
    return subprocess.run([sys.executable, str(RUN), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_make_bench_tiny_prints_one_table_with_every_benchmark(tmp_path):
    """Every benchmarks/*.py either adds rows to the table or is named on a skipped line; none crashes."""
    saved = tmp_path / "bench.json"
    proc = run_py("--size", "tiny", "--save", str(saved))
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert out.splitlines()[0].startswith("## Benchmarks (tiny)")
    assert "| benchmark" in out and "| best library (same run)" in out and "| target" in out
    record = json.loads(saved.read_text())["runs"][-1]
    benches = {r["benchmark"] for r in record["rows"]}
    helpers = {"run", "common", "synthetic", "conftest"}
    for f in sorted((REPO / "benchmarks").glob("*.py")):
        if f.stem in helpers or f.stem.startswith("_"):
            continue
        skipped = f"skipped {f.stem}:" in out or f"skipped {f.stem} at size tiny:" in out  # no run(), or run() raised Skip
        assert f.stem in benches or skipped, f"{f.name} neither produced rows nor a skipped line"
    assert {"sparql", "shareholdings"} <= benches
    assert record["machine"]["cpus"] >= 1 and record["size"] == "tiny" and record["date"].endswith("UTC")
    # every row has a value; a row with a reference has its ratio
    for r in record["rows"]:
        assert r["value"] == r["value"], r
        if r["best_value"]:
            assert abs(r["ratio"] - (r["value"] / r["best_value"] if r["lower_is_better"] else r["best_value"] / r["value"])) < 1e-9


FAKE = '''
from common import Row, at_most, ratio_at_most

def run(size="quick"):
    assert size == "tiny"
    return [Row("fast enough", 2.0, "s", best="refl", best_value=1.0, target=ratio_at_most(1.5)),
            Row("small enough", 3.0, "s", target=at_most(5, "s")),
            {"figure": "as a dict", "value": 10, "unit": "ms", "ratio": 0.5, "target": "< 1 s", "passed": True}]
'''


def test_rows_ratios_and_targets_from_a_benchmark_folder(tmp_path):
    (tmp_path / "good.py").write_text(FAKE)
    (tmp_path / "script.py").write_text("print('a script without run()')\n")
    (tmp_path / "broken.py").write_text("import not_a_module_anywhere\n")
    (tmp_path / "boom.py").write_text("def run(quick):\n    raise RuntimeError('bad input')\n")
    (tmp_path / "heavy.py").write_text("from common import Skip\n\ndef run(size):\n    raise Skip('starts a server')\n")
    proc = run_py("--size", "tiny", "--dir", str(tmp_path), "--exclude", "boom")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    line = next(ln for ln in out.splitlines() if "fast enough" in ln)
    assert "refl 1.00 s" in line and "2.00x" in line and "<= 1.5x refl" in line and "FAIL" in line
    assert "pass" in next(ln for ln in out.splitlines() if "small enough" in ln)
    assert "0.50x" in next(ln for ln in out.splitlines() if "as a dict" in ln)
    assert "skipped script: no run(size) function" in out
    assert "skipped broken: cannot import it (ModuleNotFoundError" in out
    assert "skipped heavy at size tiny: starts a server" in out
    assert "targets met 2, missed 1" in out
    strict = run_py("--size", "tiny", "--dir", str(tmp_path), "--exclude", "boom", "--strict")
    assert strict.returncode == 1
    crashed = run_py("--size", "tiny", "--dir", str(tmp_path), "--only", "boom")
    assert crashed.returncode == 1 and "ERROR in boom: RuntimeError: bad input" in crashed.stdout


def test_an_unknown_benchmark_name_is_one_line_with_the_names():
    proc = run_py("--only", "nope")
    assert proc.returncode != 0 and "no benchmark named nope; there are:" in proc.stderr and "sparql" in proc.stderr


def test_a_saved_run_replaces_only_the_benchmarks_it_measured(tmp_path):
    """docs/benchmarks.json keeps the latest full run of every benchmark, each with its own command and machine."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from run import save

    path = tmp_path / "b.json"
    save(path, {"command": "first", "rows": [{"benchmark": "a", "figure": "x"}, {"benchmark": "b", "figure": "y"}], "notes": []})
    save(path, {"command": "second", "rows": [{"benchmark": "b", "figure": "y2"}], "notes": []})
    runs = json.loads(path.read_text())["runs"]
    assert [(r["command"], [x["figure"] for x in r["rows"]]) for r in runs] == [("first", ["x"]), ("second", ["y2"])]
