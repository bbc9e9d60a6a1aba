"""Generate the README's reference tables from their single source (the ontology file).

``python -m cnaikg.docs`` rewrites the generated blocks of README.md in place;
a test fails when README.md and the ontology drift apart.

>>> print(ontology_markdown().splitlines()[0])
| entity type | label | categories | description |
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cnaikg.graph.ontology import Ontology, load_ontology

__all__ = ["ontology_markdown", "render_readme", "BEGIN", "END"]

BEGIN = "<!-- BEGIN generated: ontology (python -m cnaikg.docs) -->"
END = "<!-- END generated: ontology -->"


def ontology_markdown(onto: Ontology | None = None) -> str:
    """Markdown tables of entity types and relationship types (domain, range, properties)."""
    onto = onto or load_ontology()
    lines = ["| entity type | label | categories | description |", "|---|---|---|---|"]
    for t in sorted(onto.entity_types.values(), key=lambda t: t.name):
        lines.append(f"| `{t.name}` | {t.label} | {', '.join(t.categories)} | {t.description} |")
    lines += ["", "| relationship | from (domain) | to (range) | properties | meaning |", "|---|---|---|---|---|"]
    for r in sorted(onto.relation_types.values(), key=lambda r: r.name):
        props = ", ".join(f"`{p.name}`{'*' if p.required else ''} ({p.type})" for p in r.properties.values())
        sym = " (symmetric)" if r.symmetric else ""
        lines.append(f"| `{r.name}`{sym} | {', '.join(r.domain)} | {', '.join(r.range)} | {props} | {r.description} |")
    lines.append("")
    lines.append("`*` required property.")
    return "\n".join(lines)


def render_readme(text: str, onto: Ontology | None = None) -> str:
    """``text`` (README.md) with the generated ontology block replaced by the current tables."""
    block = f"{BEGIN}\n{ontology_markdown(onto)}\n{END}"
    if BEGIN in text:
        return re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    raise ValueError(f"README.md has no generated block; add the two lines {BEGIN!r} and {END!r} where the tables go")


def main(path: str = "README.md") -> int:
    """Rewrite the generated blocks of ``path``."""
    p = Path(path)
    p.write_text(render_readme(p.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {p}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(*sys.argv[1:]))
