"""cnaikg.graph.store: the Cypher store beside the model: the bundled Bolt server, the writer, the Neo4j exporters.

- ``server``: ``LocalServer`` (ArcadeDB in a child process, read-only by its own permissions) and ``shared_server``.
- ``writer``: labels from the ontology, typed rows, batched ``UNWIND`` writes, content hash, ``run_query``.
- ``exporters``: ``neo4j-admin database import full`` CSV files and a cypher-shell script of ``UNWIND`` batches.

Imported lazily: nothing here loads the driver or the server until used.

>>> from cnaikg.graph.store.writer import node_label
>>> node_label("state_fund", "State fund")
'StateFund'
"""
