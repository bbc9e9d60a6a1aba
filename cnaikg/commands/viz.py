"""Draw the graph as one self-contained, offline HTML network view (vis-network inlined, safe against any text in the data).

Examples:
  cnaikg viz --out network.html                              # the whole graph
  cnaikg viz --out deepseek.html --focus DeepSeek --hops 2   # a neighbourhood (id, name, alias or ticker)
  cnaikg viz --out 2023.html --as-of 2023-06-30              # the graph as it stood then
  cnaikg viz --out money.html --relations INVESTS_IN,OWNS --types company,state_fund,fund
  cnaikg viz --out big.html --max-nodes 300 --size-by pagerank
"""

from __future__ import annotations

import argparse

from cnaikg.commands._common import add_as_of_option, add_data_option

NAME = "viz"
HELP = "write an interactive network view (one offline HTML file)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    p.add_argument("--out", metavar="FILE.html", default="network.html", help="HTML file to write (default: network.html)")
    p.add_argument("--focus", metavar="ENTITY", default=None, help="draw the neighbourhood of this entity (id, name, alias or ticker)")
    p.add_argument("--hops", type=int, default=1, metavar="N", help="radius of the neighbourhood around --focus (default: 1)")
    add_as_of_option(p)
    p.add_argument("--types", metavar="T1,T2", default=None, help="entity types to draw, comma-separated (default: all; see data/ontology.toml)")
    p.add_argument("--relations", metavar="R1,R2", default=None, help="relationship types to draw, comma-separated; entities they leave unconnected are dropped")
    p.add_argument("--max-nodes", type=int, default=None, metavar="N", help="keep at most N entities, largest by score (or degree) first; the page says what was left out")
    p.add_argument("--size-by", default="auto", metavar="MEASURE",
                   help="node size: auto (policy proximity when scores exist, else degree), degree, pagerank, or a feature column (default: auto)")
    p.add_argument("--title", default=None, help="heading of the page (default: describes the view)")


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.views.viz import scoring_features, write_network_html
    from cnaikg.progress import stage

    with stage("building the graph"):
        kg = KnowledgeGraph.from_dataset(args.data)
    features = None
    if args.size_by not in ("degree", "pagerank"):
        with stage("computing scores"):
            features = scoring_features(kg.as_of(args.as_of) if args.as_of else kg)
    with stage(f"drawing {args.out}"):
        view = write_network_html(kg, args.out, focus=args.focus, hops=args.hops, as_of=args.as_of, types=args.types, relations=args.relations,
                                  max_nodes=args.max_nodes, size_by=args.size_by, features=features, heading=args.title)
    print(f"wrote {args.out}: {view.number_of_nodes} entities, {view.number_of_edges} facts; node size by {view.size_label}")
    for note in view.notes:
        print(note)
    return 0
