"""cnaikg.queries: scores, features and canned Cypher/SPARQL queries over the graph (networkx style, graph first)."""
