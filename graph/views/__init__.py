"""cnaikg.graph.views: what people look at, kept apart from the model: the explorer pages, the report, GraphML/GEXF exports.

The model (cnaikg.graph) never imports this package; these modules read a
KnowledgeGraph and write self-contained files.

>>> from cnaikg.graph.views import viz, report
>>> viz.START_NODES > 0 and callable(report.report_html)
True
"""
