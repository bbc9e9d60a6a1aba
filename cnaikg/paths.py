"""Where cnaikg finds its shipped dataset and queries, whether installed or editable.

>>> (data_dir() / "ontology.toml").is_file()
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["data_dir", "queries_dir"]


def data_dir() -> Path:
    """The folder of the curated dataset (``data/`` in the repository, ``cnaikg/data`` when installed)."""
    return Path(str(resources.files("cnaikg.data")))


def queries_dir() -> Path:
    """The folder holding canned queries (``queries/`` in the repository)."""
    return Path(str(resources.files("cnaikg.queries")))
