"""Installing the package: the import name is cnaikg only, and the dataset ships inside it."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_pip_install_puts_only_cnaikg_into_site_packages_with_its_data(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    top = {p.name for p in target.iterdir() if not p.name.endswith((".dist-info", ".egg-info")) and p.name != "bin"}
    assert top == {"cnaikg"}, f"unexpected top-level modules installed: {top - {'cnaikg'}}"
    code = ("import cnaikg, cnaikg.paths as p; kg = cnaikg.build_graph(); "
            "print(p.data_dir()); print(kg.number_of_facts()); import cnaikg.queries, cnaikg.loaders")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
                         check=True, capture_output=True, text=True, timeout=120).stdout.split()
    assert Path(out[0]).is_relative_to(target) and int(out[1]) >= 300
