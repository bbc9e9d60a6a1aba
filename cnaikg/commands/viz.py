"""Draw the graph as one self-contained, offline explorer page (vis-network inlined, safe against any text in the data).

Examples:
  cnaikg viz                                        # the whole graph -> out/network.html
  cnaikg viz --focus DeepSeek --hops 2              # a neighbourhood -> out/network-deepseek.html
  cnaikg viz --as-of 2023-06-30 --out 2023.html     # opens as the graph stood then (the slider moves the date)
  cnaikg viz --relations INVESTS_IN,OWNS --types company,state_fund,fund --out money.html
  cnaikg viz --max-nodes 300 --size-by pagerank     # open on the 300 most important entities

See docs/views.md for what the page can do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cnaikg.commands._common import add_as_of_option, add_data_option

NAME = "viz"
HELP = "write an interactive explorer page (one offline HTML file, under out/ by default)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_option(p)
    p.add_argument("--out", metavar="FILE.html", default=None,
                   help="HTML file to write (default: out/network.html, or out/network-<id>.html with --focus)")
    p.add_argument("--focus", metavar="ENTITY", default=None, help="open on the neighbourhood of this entity (id, name, alias or ticker)")
    p.add_argument("--hops", type=int, default=1, metavar="N", help="radius of the neighbourhood around --focus (default: 1)")
    add_as_of_option(p)
    p.add_argument("--types", metavar="T1,T2", default=None, help="entity types to embed, comma-separated (default: all; see data/ontology.toml)")
    p.add_argument("--relations", metavar="R1,R2", default=None, help="relationship types to embed, comma-separated; entities they leave unconnected are dropped")
    p.add_argument("--max-nodes", type=int, default=None, metavar="N",
                   help="open on at most N entities, most important first (default: 60 for the whole graph, the whole neighbourhood with --focus); the rest stays one double-click away")
    p.add_argument("--size-by", default="auto", metavar="MEASURE",
                   help="node size: auto (policy proximity when scores exist, else degree), degree, pagerank, or a numeric feature column (default: auto)")
    p.add_argument("--title", default=None, help="heading of the page (default: describes the view)")


def default_out(kg: object, focus: str | None) -> Path:
    """out/network.html, or out/network-<entity id>.html for a focused view."""
    if not focus:
        return Path("out") / "network.html"
    return Path("out") / f"network-{kg.resolve(focus).id}.html"  # type: ignore[attr-defined]


def run(args: argparse.Namespace) -> int:
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.views.viz import ViewError, check_view_options, scoring_features, write_network_html
    from cnaikg.progress import stage

    kg = KnowledgeGraph.from_dataset(args.data)  # a few hundredths of a second: no progress line before a user mistake
    out = Path(args.out) if args.out else default_out(kg, args.focus)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ViewError(f"{out} does not end in .html; name the output e.g. network.html")
    check_view_options(kg, focus=args.focus, hops=args.hops, as_of=args.as_of, types=args.types, relations=args.relations,
                       max_nodes=args.max_nodes, size_by=args.size_by)
    features = None
    if args.size_by not in ("degree", "pagerank"):
        with stage("computing scores"):
            features = scoring_features(kg.as_of(args.as_of) if args.as_of else kg)
    with stage(f"drawing {out}"):
        view = write_network_html(kg, out, focus=args.focus, hops=args.hops, as_of=args.as_of, types=args.types, relations=args.relations,
                                  max_nodes=args.max_nodes, size_by=args.size_by, features=features, heading=args.title)
    print(f"wrote {out}: opens on {view.number_of_nodes} entities and {view.number_of_edges} facts of {view.embedded_nodes} and {view.embedded_edges}; "
          f"node size by {view.size_label}")
    for note in view.notes:
        print(note)
    return 0
