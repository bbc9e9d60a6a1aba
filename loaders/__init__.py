"""cnaikg.loaders: turn sources (the curated dataset, registries, lists, holdings, news) into entities and facts.

Loaders are registered by name in cnaikg.registry; look them up there.

>>> from cnaikg.loaders import load_curated
>>> "smic" in load_curated().entities
True
"""

from cnaikg.loaders.curated import Dataset, load_curated, read_dataset

__all__ = ["Dataset", "load_curated", "read_dataset"]
