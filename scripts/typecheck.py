"""Run mypy over the whole cnaikg package as installed (cnaikg, cnaikg.graph, cnaikg.loaders, cnaikg.queries).

pyproject.toml maps the package names onto top-level folders (cnaikg.graph = graph/ ...),
which mypy cannot follow by itself, so this builds the installed layout as a tree of
symbolic links in a temporary folder, runs ``mypy -p cnaikg`` there with the
``[tool.mypy]`` settings of pyproject.toml, and prints the errors with repository paths
(graph/kg.py, not cnaikg/graph/kg.py). Exit status: mypy's (0 = no errors).

    .venv/bin/python scripts/typecheck.py            # or: make typecheck
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: package -> folder, as in pyproject.toml [tool.setuptools] package-dir
MAPPED = {"graph": "graph", "loaders": "loaders", "queries": "queries"}


def build_tree(root: Path) -> Path:
    """Link the repository's folders into ``root/cnaikg`` the way pip installs them; return ``root``."""
    pkg = root / "cnaikg"
    pkg.mkdir(parents=True, exist_ok=True)
    for item in (REPO / "cnaikg").iterdir():
        if item.name != "__pycache__" and (item.suffix == ".py" or item.is_dir()):
            (pkg / item.name).symlink_to(item)
    for name, folder in MAPPED.items():
        (pkg / name).symlink_to(REPO / folder)
    return root


def repo_path(line: str) -> str:
    """``cnaikg/graph/kg.py:3: error`` -> ``graph/kg.py:3: error``."""
    return re.sub(r"^cnaikg/(graph|loaders|queries)/", r"\1/", line)


def run_mypy(extra: list[str] | None = None, *, probes: dict[str, str] | None = None) -> tuple[int, str]:
    """(exit status, output with repository paths) of mypy over the package (``probes``: extra modules, name -> source)."""
    with tempfile.TemporaryDirectory(prefix="cnaikg-mypy-") as tmp:
        root = build_tree(Path(tmp))
        for name, text in (probes or {}).items():
            (root / "cnaikg" / f"{name}.py").write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(REPO / ".mypy_cache"),
               "-p", "cnaikg", *(extra or [])]
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env={"MYPYPATH": str(root), "PATH": "/usr/bin:/bin"})
        out = "\n".join(repo_path(line) for line in (proc.stdout + proc.stderr).splitlines())
        return proc.returncode, out


def main(argv: list[str]) -> int:
    code, out = run_mypy(argv)
    print(out)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
