"""The features table: one row per company with every graph-derived column, its declared schema, writers and build step.

The schema (``feature_schema``) is the one list of columns, each with its
meaning, unit and range; the README table is generated from it, and every
table is validated against it before it is written.

>>> from cnaikg.graph import build_graph
>>> df = features(build_graph(), as_of="2024-06-30")
>>> {"policy_proximity", "pagerank"} <= set(df.columns) and df.index.name == "id"
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from cnaikg.errors import DataError, Problem
from cnaikg.queries.arrays import GraphArrays, graph_arrays
from cnaikg.queries.state import StateConfig, load_state_actors

__all__ = ["FeatureColumn", "feature_schema", "features_arrays", "features", "validate_features", "write_features", "build_features", "schema_markdown"]


@dataclass(frozen=True)
class FeatureColumn:
    """One column of the features table: name, dtype (float, int, bool, str), unit, range and meaning."""

    name: str
    dtype: str
    unit: str
    low: float | None
    high: float | None
    meaning: str
    nullable: bool = False

    @property
    def range(self) -> str:
        """The range as text, e.g. [0, 1] or >= 0."""
        if self.dtype in ("str", "bool"):
            return "id or empty" if self.dtype == "str" and self.unit == "id" else ("true/false" if self.dtype == "bool" else "text")
        if self.high is None:
            return f">= {self.low:g}" if self.low is not None else "any"
        return f"[{self.low:g}, {self.high:g}]"


def feature_schema(config: StateConfig | None = None, relations: list[str] | None = None) -> list[FeatureColumn]:
    """The declared columns, derived from the proximity components, the kinds of state actor and the ontology.

    >>> [c.name for c in feature_schema()][:4]
    ['name', 'tickers', 'state_actor_kind', 'policy_proximity']
    """
    from cnaikg.graph.ontology import load_ontology
    from cnaikg.queries.proximity import COMPONENTS

    cfg = config or load_state_actors()
    rels = relations if relations is not None else sorted(load_ontology().relation_types)
    F, I, B, S = "float", "int", "bool", "str"
    cols = [
        FeatureColumn("name", S, "", None, None, "English name of the company"),
        FeatureColumn("tickers", S, "", None, None, "its tickers, separated by | (empty when unlisted)"),
        FeatureColumn("state_actor_kind", S, "", None, None, "the company's own kind when it is itself a state actor (an SOE, a state bank), else empty"),
        FeatureColumn("policy_proximity", F, "score", 0, 1, "weighted mean of the components below (formula in the README); 0 = no path to any state actor"),
    ]
    for c in COMPONENTS:
        cols.append(FeatureColumn(c.name, F, "score", 0, 1, f"component: {c.description} (weight {cfg.proximity_weights[c.name]:g})"))
    for k, kind in cfg.kinds.items():
        cols.append(FeatureColumn(f"proximity_{k}", F, "score", 0, 1, f"policy proximity counting only state actors of kind {k} ({kind.label})"))
    cols += [
        FeatureColumn("state_stake_direct", F, "fraction", 0, 1, "sum of the stakes state actors hold directly (unknown stakes count 5%)"),
        FeatureColumn("state_stake_lookthrough", F, "fraction", 0, 1, "effective stake of all state actors together through chains of holdings, each share counted once"),
    ]
    for k, kind in cfg.kinds.items():
        cols.append(FeatureColumn(f"state_stake_{k}", F, "fraction", 0, 1, f"look-through stake of state actors of kind {k} ({kind.label})"))
    cols += [
        FeatureColumn("ultimate_controller", S, "id", None, None, "holder with more than 50% effective stake at the top of the chain (empty if none)"),
        FeatureColumn("ultimate_controller_stake", F, "fraction", 0, 1, "that holder's effective stake (0 when none)"),
        FeatureColumn("ultimate_controller_is_state", B, "", None, None, "whether the ultimate controller is a state actor"),
        FeatureColumn("pagerank", F, "probability", 0, 1, "PageRank over facts weighted by relation weight (sums to 1 over all entities)"),
        FeatureColumn("state_ppr", F, "probability", 0, 1, "personalised PageRank restarting at state actors (by weight), over facts in both directions"),
        FeatureColumn("betweenness", F, "fraction", 0, 1, "directed betweenness, normalised by (n-1)(n-2); exact up to 5000 nodes, sampled above"),
        FeatureColumn("degree_in", I, "facts", 0, None, "facts pointing at the company"),
        FeatureColumn("degree_out", I, "facts", 0, None, "facts from the company"),
    ]
    for r in rels:
        cols.append(FeatureColumn(f"in_{r}", I, "facts", 0, None, f"{r} facts pointing at the company"))
        cols.append(FeatureColumn(f"out_{r}", I, "facts", 0, None, f"{r} facts from the company"))
    cols += [
        FeatureColumn("n_suppliers", I, "companies", 0, None, "distinct direct suppliers (SUPPLIES into the company)"),
        FeatureColumn("n_customers", I, "companies", 0, None, "distinct direct customers (SUPPLIES from the company)"),
        FeatureColumn("downstream_dependents", I, "companies", 0, None, "distinct companies downstream along SUPPLIES (customers, their customers, ...)"),
        FeatureColumn("supplier_concentration", F, "HHI", 0, 1, "Herfindahl index of suppliers with equal shares = 1/n_suppliers; empty without suppliers", nullable=True),
        FeatureColumn("on_export_control_list", B, "", None, None, "on any export-control or sanctions list (ON_LIST)"),
        FeatureColumn("export_lists", S, "", None, None, "ids of those lists, separated by |"),
        FeatureColumn("listed_suppliers", I, "companies", 0, None, "direct suppliers that are on a list"),
        FeatureColumn("listed_customers", I, "companies", 0, None, "direct customers that are on a list"),
        FeatureColumn("affiliate_rule_covered", B, "", None, None, "owned 50% or more (effective) by an entity on an affiliates-rule list (US Entity List)"),
        FeatureColumn("affiliate_rule_owner", S, "id", None, None, "that listed owner (empty if none)"),
        FeatureColumn("affiliate_rule_stake", F, "fraction", 0, 1, "its effective stake (0 when none)"),
    ]
    return cols


def features_arrays(ga: GraphArrays, *, betweenness_samples: int | None = None, timings: dict[str, float] | None = None,
                    on_stage: Callable[[str], None] | None = None) -> dict[str, np.ndarray]:
    """Every numeric feature for every node of ``ga`` (no names or tickers), timing each group into ``timings``."""
    from cnaikg.queries.centrality import betweenness_arrays, degrees_by_relation, pagerank_csr, supply_chain
    from cnaikg.queries.exposure import exposure_arrays
    from cnaikg.queries.ownership import state_lookthrough, ultimate_controllers
    from cnaikg.queries.proximity import proximity_all

    t = timings if timings is not None else {}
    out: dict[str, np.ndarray] = {}
    p = ga.config.parameters

    def timed(name: str, fn: Callable[[], None]) -> None:
        if on_stage:
            on_stage(name)
        t0 = time.perf_counter()
        fn()
        t[name] = time.perf_counter() - t0

    def prox() -> None:
        score, comps, by_kind = proximity_all(ga)
        out["policy_proximity"] = score
        out.update(comps)
        out.update({f"proximity_{k}": v for k, v in by_kind.items()})

    def stakes() -> None:
        W = ga.holdings()
        out["state_stake_direct"] = np.minimum(W.T @ ga.is_state.astype(np.float64), 1.0)
        out["state_stake_lookthrough"] = state_lookthrough(ga)
        present = set(np.unique(ga.state_kind[ga.state_kind >= 0]).tolist())
        for i, k in enumerate(ga.kind_names):
            out[f"state_stake_{k}"] = state_lookthrough(ga, kind=k) if i in present else np.zeros(ga.n)

    def control() -> None:
        ctrl, share = ultimate_controllers(ga)
        out["ultimate_controller"] = ctrl
        out["ultimate_controller_stake"] = share
        out["ultimate_controller_is_state"] = np.where(ctrl >= 0, ga.is_state[np.maximum(ctrl, 0)], False)

    def pr() -> None:
        out["pagerank"] = pagerank_csr(ga.adjacency(), alpha=float(p["pagerank_alpha"]), tol=float(p["pagerank_tolerance"]))

    def ppr() -> None:
        restart = np.where(ga.is_state, ga.state_weight, 0.0)
        out["state_ppr"] = pagerank_csr(ga.adjacency(symmetric=True), alpha=float(p["pagerank_alpha"]), personalization=restart, tol=float(p["pagerank_tolerance"]))

    def bc() -> None:
        out["betweenness"] = np.clip(betweenness_arrays(ga, samples=betweenness_samples), 0.0, 1.0)

    def degrees() -> None:
        out["degree_in"] = np.bincount(ga.dst, minlength=ga.n).astype(np.int64)
        out["degree_out"] = np.bincount(ga.src, minlength=ga.n).astype(np.int64)
        out.update({k: v.astype(np.int64) for k, v in degrees_by_relation(ga).items()})

    timed("policy proximity, components and by kind", prox)
    timed("look-through state stakes", stakes)
    timed("ultimate controllers", control)
    timed("pagerank", pr)
    timed("personalised pagerank", ppr)
    timed("degrees", degrees)
    timed("supply chain", lambda: out.update(supply_chain(ga)))
    timed("export-control exposure", lambda: out.update(exposure_arrays(ga)))
    timed("betweenness", bc)
    return out


def features(kg: Any, *, as_of: Any = None, config: StateConfig | None = None, validate: bool = True) -> "Any":
    """The features table of every company as of a date: a DataFrame indexed by id, columns as in ``feature_schema``.

    The same graph and ``as_of`` always give the same table.

    >>> from cnaikg.graph import build_graph
    >>> df = features(build_graph())
    >>> bool(df.policy_proximity.between(0, 1).all())
    True
    """
    import pandas as pd

    ga = graph_arrays(kg, as_of=as_of, config=config)
    arr = features_arrays(ga)
    mask = ga.type_mask("company")
    rows = np.flatnonzero(mask)
    ids = np.asarray(ga.ids, dtype=object)
    view = kg.as_of(as_of) if as_of is not None else kg.current()
    lists: dict[int, set[str]] = {}
    for i in np.flatnonzero(ga.rel_mask("ON_LIST")):
        lists.setdefault(int(ga.src[i]), set()).add(ga.ids[int(ga.dst[i])])
    data: dict[str, Any] = {
        "name": [view.entity(ga.ids[r]).name for r in rows],
        "tickers": ["|".join(sorted(_tickers(view, ga.ids[r]))) for r in rows],
    }
    schema = feature_schema(ga.config, ga.rel_names)
    for col in schema:
        if col.name in data:
            continue
        if col.name == "state_actor_kind":
            data[col.name] = [ga.kind_names[int(ga.state_kind[r])] if ga.state_kind[r] >= 0 else "" for r in rows]
        elif col.name == "export_lists":
            data[col.name] = ["|".join(sorted(lists.get(int(r), ()))) for r in rows]
        elif col.name in ("ultimate_controller", "affiliate_rule_owner"):
            data[col.name] = [ga.ids[int(o)] if o >= 0 else "" for o in arr[col.name][rows]]
        else:
            data[col.name] = arr[col.name][rows]
    df = pd.DataFrame(data, index=pd.Index(ids[rows], name="id"))
    for col in schema:
        df[col.name] = df[col.name].astype({"float": "float64", "int": "int64", "bool": "bool", "str": "object"}[col.dtype])
    if validate:
        validate_features(df, schema)
    return df


def _tickers(view: Any, entity_id: str) -> list[str]:
    tickers = {f.properties.get("ticker") for f in view.facts_of(entity_id, "LISTED_ON", "out")}
    return [t for t in tickers if t]


def validate_features(df: Any, schema: list[FeatureColumn] | None = None) -> None:
    """Check a features table against the schema, collecting every problem (DataError lists them all).

    >>> import pandas as pd
    >>> bad = pd.DataFrame({"policy_proximity": [1.5]}, index=pd.Index(["x"], name="id"))
    >>> try:
    ...     validate_features(bad)
    ... except DataError as err:
    ...     print(next(line for line in str(err).splitlines() if "policy_proximity" in line))
    features: policy_proximity: 1 values outside [0, 1], e.g. 1.5 at 'x'; check the computation
    """
    schema = schema if schema is not None else feature_schema()
    problems: list[Problem] = []
    where = "features"
    if df.index.name != "id":
        problems.append(Problem(where, 0, "id", f"index is named {df.index.name!r}", "index the table by entity id (name 'id')"))
    if not df.index.is_unique:
        problems.append(Problem(where, 0, "id", "duplicate ids", "one row per company"))
    declared = {c.name for c in schema}
    for extra in sorted(set(df.columns) - declared):
        problems.append(Problem(where, 0, extra, "column not in the schema", "declare it in cnaikg.queries.features.feature_schema"))
    for c in schema:
        if c.name not in df.columns:
            problems.append(Problem(where, 0, c.name, "missing column", "compute it (see feature_schema)"))
            continue
        s = df[c.name]
        if c.dtype in ("float", "int"):
            if not np.issubdtype(s.dtype, np.number) or s.dtype == bool:
                problems.append(Problem(where, 0, c.name, f"dtype {s.dtype} is not numeric", f"store {c.dtype} values"))
                continue
            bad_null = s.isna() & (not c.nullable)
            if bad_null.any():
                problems.append(Problem(where, 0, c.name, f"{int(bad_null.sum())} empty values, first at {s.index[bad_null][0]!r}", "fill the value"))
            v = s.dropna()
            lo = v < c.low - 1e-9 if c.low is not None else np.zeros(len(v), dtype=bool)
            hi = v > c.high + 1e-9 if c.high is not None else np.zeros(len(v), dtype=bool)
            out = lo | hi
            if out.any():
                problems.append(Problem(where, 0, c.name, f"{int(out.sum())} values outside {c.range}, e.g. {float(v[out].iloc[0])!r} at {v.index[out][0]!r}", "check the computation"))
        elif c.dtype == "bool" and s.dtype != bool:
            problems.append(Problem(where, 0, c.name, f"dtype {s.dtype} is not bool", "store true/false"))
        elif c.dtype == "str" and s.isna().any():
            problems.append(Problem(where, 0, c.name, "empty (NaN) text cells", "use an empty string"))
    if problems:
        raise DataError(problems)


def write_features(df: Any, path: str | Path) -> Path:
    """Write the table as .parquet or .csv (atomically; CSV cells starting with = + - @ neutralised).

    >>> import pandas as pd, tempfile, os
    >>> p = write_features(pd.DataFrame({"x": ["=1"]}, index=pd.Index(["a"], name="id")), os.path.join(tempfile.mkdtemp(), "f.csv"))
    >>> p.read_text()
    "id,x\\na,'=1\\n"
    """
    from cnaikg.io import atomic_path, write_csv_atomic

    path = Path(path)
    if path.suffix == ".parquet":
        with atomic_path(path, ".parquet") as tmp:
            df.to_parquet(tmp, engine="pyarrow", index=True)
        return path
    if path.suffix == ".csv":
        header = [df.index.name or "id", *df.columns]
        rows = ([idx, *(_csv_cell(v) for v in row)] for idx, row in zip(df.index, df.itertuples(index=False, name=None)))
        return write_csv_atomic(path, header, rows)
    from cnaikg.errors import KGError

    raise KGError(f"cannot write features to {path.name!r}: use a .parquet or .csv file name")


def _csv_cell(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (float, np.floating)):
        return "" if np.isnan(v) else repr(float(v))
    return v


def build_features(kg: Any, out: Path, ctx: Any) -> list[Path]:
    """Build step: out/features.parquet and out/features.csv, the table and explanations in ctx.results."""
    from cnaikg.queries.explain import explain_arrays, explanation_lines
    from cnaikg.queries.proximity import proximity_arrays

    df = features(kg)
    ga = graph_arrays(kg)
    score, comps = proximity_arrays(ga)
    explanations = {}
    for cid in df.index:
        node = ga.index[cid]
        explanations[cid] = explanation_lines(explain_arrays(ga, node, score=float(score[node]), comps=comps)) if score[node] > 0 else ["no path to any state actor"]
    ctx.results["features"] = df
    ctx.results["explanations"] = explanations
    from cnaikg.queries.ranking import COMPANY_DEFINITION, ranked_companies

    top = ranked_companies(df, top=int(ctx.options.get("top", 10)))  # the report's ranking too
    lines = ctx.results.setdefault("summary_lines", [])
    lines.append(f"\ntop companies by policy proximity ({COMPANY_DEFINITION}):")
    for cid, r in top.iterrows():
        why = explanations[cid][0] if explanations[cid] else ""
        lines.append(f"  {r.policy_proximity:.3f}  {cid:<28} {why[:90]}")
    return [write_features(df, out / "features.parquet"), write_features(df, out / "features.csv")]


def schema_markdown(config: StateConfig | None = None) -> str:
    """The README table of the features columns (name, meaning, unit, range), generated from the schema.

    >>> schema_markdown().splitlines()[0]
    '| column | meaning | unit | range |'
    """
    lines = ["| column | meaning | unit | range |", "|---|---|---|---|"]
    rels_done = False
    for c in feature_schema(config):
        if c.name.startswith(("in_", "out_")) and c.name.split("_", 1)[1].isupper():
            if not rels_done:
                lines.append("| `in_<REL>`, `out_<REL>` | facts of that relationship type pointing at / from the company, one pair of columns "
                             "for every relationship type of the ontology (`in_SUPPLIES`, `out_INVESTS_IN`, ...) | facts | >= 0 |")
                rels_done = True
            continue
        meaning = c.meaning.replace("|", "\\|")
        lines.append(f"| `{c.name}` | {meaning} | {c.unit or '-'} | {c.range} |")
    return "\n".join(lines)


def readme_tables(config: StateConfig | None = None) -> str:
    """The README's two generated tables: the proximity components with their weights, then the features columns.

    >>> readme_tables().splitlines()[0]
    '| component | weight | what it measures |'
    """
    from cnaikg.queries.proximity import component_table

    lines = ["| component | weight | what it measures |", "|---|---:|---|"]
    for r in component_table(config):
        lines.append(f"| `{r['component']}` | {r['weight']:g} | {r['meaning'].replace('|', chr(92) + '|')} |")
    return "\n".join(lines) + "\n\n" + schema_markdown(config)


if __name__ == "__main__":  # python -m cnaikg.queries.features prints the README tables
    print(readme_tables())
