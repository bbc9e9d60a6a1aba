"""mypy over the whole package (settings in pyproject.toml [tool.mypy]) finds no error.

Run it yourself with `make typecheck`; errors print with repository paths (graph/kg.py:12: ...).
"""

import importlib.util
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))

from typecheck import build_tree, repo_path, run_mypy  # noqa: E402


def test_mypy_finds_no_error_in_the_package():
    assert importlib.util.find_spec("mypy"), "mypy is a test dependency: .venv/bin/pip install -e '.[test]'"
    code, out = run_mypy()
    assert code == 0 and "Success" in out, "mypy errors (run `make typecheck`):\n" + out


def test_the_checked_tree_is_the_installed_layout(tmp_path):
    """mypy sees cnaikg.graph at graph/, cnaikg.loaders at loaders/ ...: the names users import."""
    root = build_tree(tmp_path)
    assert (root / "cnaikg" / "graph" / "kg.py").resolve() == REPO / "graph" / "kg.py"
    assert (root / "cnaikg" / "errors.py").resolve() == REPO / "cnaikg" / "errors.py"
    assert repo_path("cnaikg/graph/kg.py:3: error: x") == "graph/kg.py:3: error: x"
    assert repo_path("cnaikg/errors.py:3: error: x") == "cnaikg/errors.py:3: error: x"


def test_a_type_error_is_reported_with_its_path():
    code, out = run_mypy(probes={"_typing_probe": '"""probe."""\n\n\ndef f(x: int) -> str:\n    """x."""\n    return x\n'})
    assert code != 0 and "cnaikg/_typing_probe.py:6: error" in out


def test_the_build_context_of_cnaikg_build_satisfies_the_protocol_build_steps_name():
    """Build steps below the command line type their context as cnaikg.context.BuildContext; the real one must fit."""
    probe = (
        '"""probe."""\nfrom pathlib import Path\n\nfrom cnaikg.build import BuildContext as Concrete\n'
        'from cnaikg.context import BuildContext, BuildStep\nfrom cnaikg.graph.export import build_graph_json\n\n'
        'ctx: BuildContext = Concrete(None, Path("out"))\nstep: BuildStep = build_graph_json\n'
    )
    code, out = run_mypy(probes={"_context_probe": probe})
    assert "_context_probe" not in out, out  # (errors elsewhere are the first test's business)
