"""Moved to ``cnaikg.graph.store.writer``; kept so old imports keep working.

>>> from cnaikg.graph.neo4j_writer import GraphWriter
>>> GraphWriter.__module__
'cnaikg.graph.store.writer'
"""

from cnaikg.graph.store.writer import *  # noqa: F401,F403
from cnaikg.graph.store.writer import write_clause, run_query, GraphWriter  # noqa: F401
