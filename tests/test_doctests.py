"""Every docstring example in the package runs (the examples are part of the documentation)."""

import doctest
import importlib
import pkgutil

import pytest

import cnaikg

PACKAGES = ["cnaikg", "cnaikg.graph", "cnaikg.graph.views", "cnaikg.loaders", "cnaikg.queries", "cnaikg.commands"]


def _modules():
    names = []
    for pkg in PACKAGES:
        mod = importlib.import_module(pkg)
        names.append(pkg)
        names += [m.name for m in pkgutil.walk_packages(mod.__path__, prefix=f"{pkg}.") if not m.name.endswith("__main__")]  # subpackages too
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name):
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
