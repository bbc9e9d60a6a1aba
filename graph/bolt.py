"""Moved to ``cnaikg.graph.store.server``; kept so old imports keep working.

>>> from cnaikg.graph.bolt import LocalServer
>>> LocalServer.__module__
'cnaikg.graph.store.server'
"""

from cnaikg.graph.store.server import *  # noqa: F401,F403
from cnaikg.graph.store.server import LocalServer, cache_root, dataset_hash, free_port  # noqa: F401
