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

__all__ = ["FeatureColumn", "feature_schema", "features_arrays", "features", "features_panel", "panel_dates", "features_metadata", "dataset_hash",
           "validate_features", "write_features", "read_features_metadata", "build_features", "schema_markdown", "FEATURES_SCHEMA_VERSION"]


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
        FeatureColumn("policy_proximity", F, "score", 0, 1, "weighted mean of the components below (formula in docs/scores.md); 0 = no path to any state actor"),
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
        FeatureColumn("ultimate_controller", S, "id", None, None, "top of the chain of majority holders (each holds more than 50% of the next, alone or with "
                      "what it controls); empty when there is none"),
        FeatureColumn("ultimate_controller_chain", S, "", None, None, "that chain from the top down, ids separated by > (empty when there is no controller)"),
        FeatureColumn("ultimate_controller_stake", F, "fraction", 0, 1, "the ultimate controller's effective (look-through) stake (0 when none)"),
        FeatureColumn("control_status", S, "", None, None, "controlled, no majority holder, tie (two holders at 50%) or cycle (the majority chain runs into a cycle)"),
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
        FeatureColumn("affiliate_rule_in_force", B, "", None, None, "whether the affiliates rule (data/rules.toml) was in force on the table's date"),
        FeatureColumn("affiliate_rule_covered", B, "", None, None, "covered by the affiliates rule on the date: listed parties own 50% or more, directly or indirectly, "
                      "individually or in the aggregate (false while the rule is not in force)"),
        FeatureColumn("affiliate_rule_owners", S, "", None, None, "the listed or covered direct holders that make up the aggregate, largest first, separated by | (empty if not covered)"),
        FeatureColumn("affiliate_rule_stake", F, "fraction", 0, 1, "aggregate direct stake of listed parties and of entities the rule's cascade covers (computed whether or not the rule is in force)"),
    ]
    return cols


def features_arrays(ga: GraphArrays, *, betweenness_samples: int | None = None, timings: dict[str, float] | None = None,
                    on_stage: Callable[[str], None] | None = None) -> dict[str, np.ndarray]:
    """Every numeric feature for every node of ``ga`` (no names or tickers), timing each group into ``timings``."""
    from cnaikg.queries.centrality import betweenness_arrays, degrees_by_relation, pagerank_csr, supply_chain
    from cnaikg.queries.exposure import exposure_arrays
    from cnaikg.queries.ownership import CONTROL_STATUS, control, state_lookthrough
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

    def control_() -> None:
        ctl = control(ga)
        out["ultimate_controller"] = ctl.top
        out["ultimate_controller_stake"] = ctl.stake
        out["ultimate_controller_is_state"] = np.where(ctl.top >= 0, ga.is_state[np.maximum(ctl.top, 0)], False)
        out["control_status"] = np.asarray(CONTROL_STATUS, dtype=object)[ctl.status]

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
    timed("ultimate controllers", control_)
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
    ga = graph_arrays(kg, as_of=as_of, config=config)
    view = kg.as_of(as_of) if as_of is not None else kg.current()
    return _features_table(ga, lambda i: view.entity(i).name, validate=validate)


def _features_table(ga: GraphArrays, name_of: Callable[[str], str], *, validate: bool = True) -> "Any":
    """The features table of the companies of ``ga`` (names from ``name_of``, tickers from its LISTED_ON facts)."""
    import pandas as pd

    arr = features_arrays(ga)
    mask = ga.type_mask("company")
    rows = np.flatnonzero(mask)
    ids = np.asarray(ga.ids, dtype=object)
    lists: dict[int, set[str]] = {}
    for i in np.flatnonzero(ga.rel_mask("ON_LIST")):
        lists.setdefault(int(ga.src[i]), set()).add(ga.ids[int(ga.dst[i])])
    tickers: dict[int, set[str]] = {}
    if ga.facts is not None:
        for i in np.flatnonzero(ga.rel_mask("LISTED_ON")):
            t = ga.facts[int(i)].properties.get("ticker")
            if t:
                tickers.setdefault(int(ga.src[i]), set()).add(str(t))
    data: dict[str, Any] = {
        "name": [name_of(ga.ids[r]) for r in rows],
        "tickers": ["|".join(sorted(tickers.get(int(r), ()))) for r in rows],
    }
    schema = feature_schema(ga.config, ga.rel_names)
    for col in schema:
        if col.name in data:
            continue
        if col.name == "state_actor_kind":
            data[col.name] = [ga.kind_names[int(ga.state_kind[r])] if ga.state_kind[r] >= 0 else "" for r in rows]
        elif col.name == "export_lists":
            data[col.name] = ["|".join(sorted(lists.get(int(r), ()))) for r in rows]
        elif col.name == "ultimate_controller":
            data[col.name] = [ga.ids[int(o)] if o >= 0 else "" for o in arr[col.name][rows]]
        elif col.name == "ultimate_controller_chain":
            from cnaikg.queries.ownership import control

            ctl = control(ga)
            data[col.name] = [" > ".join(ga.ids[i] for i in ctl.chain(int(r))) if ctl.top[r] >= 0 else "" for r in rows]
        else:
            data[col.name] = arr[col.name][rows]
    dtypes = {"float": np.float64, "int": np.int64, "bool": np.bool_, "str": object}
    typed: dict[str, np.ndarray] = {col.name: np.asarray(data[col.name], dtype=dtypes[col.dtype]) for col in schema}  # one conversion per column, one frame
    df = pd.DataFrame(typed, index=pd.Index(ids[rows], name="id"), copy=False)
    if validate:
        validate_features(df, schema)
    return df


class _Timeline:
    """The graph's arrays once, with every entity's and fact's date bounds, sliced into the arrays of any date.

    A slice equals ``GraphArrays.from_kg(kg.as_of(D))`` (same rule: founded by D, since <= D < until, first
    published by D, both ends present; same order), without building a view per date.
    """

    def __init__(self, kg: Any, config: StateConfig | None):
        from cnaikg.graph.dates import parse_date, to_date

        self.full = GraphArrays.from_kg(kg, config=config or load_state_actors())
        ents = {e.id: e for e in kg.entities()}
        self.names = {i: e.name for i, e in ents.items()}
        lo, hi = -(1 << 40), 1 << 40
        self.founded = np.array([to_date(ents[i].founded).toordinal() if ents[i].founded else lo for i in self.full.ids], dtype=np.int64)
        since, last, known = [], [], []
        for f in self.full.facts or []:
            since.append(parse_date(f.since).start.toordinal() if f.since else lo)
            if f.until:
                u = parse_date(f.until)
                last.append(u.start.toordinal() - 1 if u.precision == "day" else u.end.toordinal())
            else:
                last.append(hi)
            k = f.known_since
            known.append(k.toordinal() if k is not None else hi + 1)
        self.since, self.last, self.known = (np.array(x, dtype=np.int64) for x in (since, last, known))

    def arrays(self, day: Any) -> GraphArrays:
        """The GraphArrays of the graph as of ``day``."""
        from cnaikg.graph.dates import to_date

        d = to_date(day)
        o = d.toordinal()
        full = self.full
        keep_e = self.founded <= o
        keep_f = keep_e[full.src] & keep_e[full.dst] & (self.since <= o) & (o <= self.last) & (self.known <= o)
        ents = np.flatnonzero(keep_e)
        remap = np.full(full.n, -1, dtype=np.int64)
        remap[ents] = np.arange(len(ents))
        fi = np.flatnonzero(keep_f)
        return GraphArrays(
            ids=[full.ids[i] for i in ents], node_type=full.node_type[ents], type_names=full.type_names,
            src=remap[full.src[fi]], dst=remap[full.dst[fi]], rel=full.rel[fi], rel_names=full.rel_names, stake=full.stake[fi],
            state_kind=full.state_kind[ents], state_weight=full.state_weight[ents], kind_names=full.kind_names, config=full.config,
            facts=[full.facts[i] for i in fi] if full.facts is not None else None, symmetric=full.symmetric, as_of=d,
        )


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
    panel = "as_of" in df.columns  # a panel: one row per (as_of, id)
    if panel and "id" in df.columns:
        df = df.set_index("id")
    if df.index.name != "id":
        problems.append(Problem(where, 0, "id", f"index is named {df.index.name!r}", "index the table by entity id (name 'id')"))
    if panel and df.reset_index().duplicated(["as_of", "id"]).any():
        problems.append(Problem(where, 0, "id", "duplicate (as_of, id) rows", "one row per company and date"))
    elif not panel and not df.index.is_unique:
        problems.append(Problem(where, 0, "id", "duplicate ids", "one row per company"))
    declared = {c.name for c in schema} | ({"as_of"} if panel else set())
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


def write_features(df: Any, path: str | Path, metadata: dict[str, Any] | None = None) -> Path:
    """Write the table (or panel) as .parquet or .csv, atomically, with its metadata; CSV cells starting with = + - @ neutralised.

    ``metadata`` (see ``features_metadata``) goes into the Parquet file's
    key-value metadata under ``cnaikg``, and for CSV into a sidecar
    ``<file>.csv.json``; table and sidecar are written together or not at all.

    >>> import pandas as pd, tempfile, os
    >>> p = write_features(pd.DataFrame({"x": ["=1"]}, index=pd.Index(["a"], name="id")), os.path.join(tempfile.mkdtemp(), "f.csv"))
    >>> p.read_text()
    "id,x\\na,'=1\\n"
    """
    import json

    from cnaikg.io import atomic_path, write_csv_atomic

    path = Path(path)
    with_index = df.index.name is not None
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(df, preserve_index=with_index)
        if metadata is not None:
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"cnaikg": json.dumps(metadata, sort_keys=True).encode("utf-8")})
        with atomic_path(path, ".parquet") as tmp:
            pq.write_table(table, tmp)
        return path
    if path.suffix == ".csv":
        header = ([df.index.name] if with_index else []) + list(df.columns)
        rows = ([*([idx] if with_index else []), *(_csv_cell(v) for v in row)] for idx, row in zip(df.index, df.itertuples(index=False, name=None)))
        if metadata is None:
            return write_csv_atomic(path, header, rows)
        side = path.with_name(path.name + ".json")
        with atomic_path(side, ".json") as tmp_meta:
            tmp_meta.write_text(json.dumps(metadata, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            write_csv_atomic(path, header, rows)
        return path
    from cnaikg.errors import KGError

    raise KGError(f"cannot write features to {path.name!r}: use a .parquet or .csv file name")


def read_features_metadata(path: str | Path) -> dict[str, Any]:
    """The metadata written with a features file: Parquet key-value metadata, or the CSV's sidecar JSON.

    >>> import pandas as pd, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "f.parquet")
    >>> _ = write_features(pd.DataFrame({"x": [1.0]}, index=pd.Index(["a"], name="id")), p, {"schema_version": "2"})
    >>> read_features_metadata(p)
    {'schema_version': '2'}
    """
    import json

    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        raw = (pq.read_schema(path).metadata or {}).get(b"cnaikg")
        return json.loads(raw) if raw else {}
    side = path.with_name(path.name + ".json")
    return json.loads(side.read_text(encoding="utf-8")) if side.exists() else {}


#: Version of the features table layout; bumped whenever a column is added, removed or changes meaning.
FEATURES_SCHEMA_VERSION = "2"


def dataset_hash(kg: Any, config: StateConfig | None = None) -> str:
    """SHA-256 of the graph's content (entities, facts, sources, as exported) plus the state-actors and rules files.

    >>> from cnaikg.graph import build_graph
    >>> len(dataset_hash(build_graph()))
    64
    """
    import hashlib
    import json

    from cnaikg.paths import data_dir

    h = hashlib.sha256(json.dumps(kg.to_node_link(), sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    cfg = config or load_state_actors()
    for extra in (Path(cfg.path) if cfg.path else data_dir() / "state_actors.toml", data_dir() / "rules.toml"):
        if extra.exists():
            h.update(extra.read_bytes())
    return h.hexdigest()


def features_metadata(kg: Any, dates: list[str | None], *, config: StateConfig | None = None) -> dict[str, Any]:
    """What a features file says about itself: dates, the data's date, dataset hash, versions, rules applied.

    >>> from cnaikg.graph import build_graph
    >>> m = features_metadata(build_graph(), ["2025-10-15"])
    >>> m["schema_version"], m["rules"]["affiliates"]["2025-10-15"]
    ('2', 'in_force')
    """
    from cnaikg import __version__
    from cnaikg.queries.rules import load_rules

    data_day = kg.data_date().isoformat()
    rules = load_rules()
    return {
        "as_of": [d or data_day for d in dates],
        "data_date": data_day,
        "dataset_sha256": dataset_hash(kg, config),
        "cnaikg_version": __version__,
        "schema_version": FEATURES_SCHEMA_VERSION,
        "rules": {rid: {(d or data_day): r.on(d or data_day).status for d in dates} for rid, r in rules.items()},
    }


def panel_dates(start: str, end: str, every: str) -> list[str]:
    """The last day of every month, quarter or year from ``start`` to ``end`` (both included when they are period ends).

    >>> panel_dates("2024-01-01", "2024-12-31", "quarter")
    ['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']
    >>> panel_dates("2020-06-30", "2022-06-30", "year")
    ['2020-12-31', '2021-12-31']
    """
    import pandas as pd

    from cnaikg.errors import KGError

    freq = {"month": "ME", "quarter": "QE", "year": "YE"}.get(every)
    if freq is None:
        raise KGError(f"--every {every!r}: use month, quarter or year")
    days = pd.date_range(start, end, freq=freq)
    if not len(days):
        raise KGError(f"no {every} end between {start} and {end}; widen the range")
    return [d.strftime("%Y-%m-%d") for d in days]


def features_panel(kg: Any, dates: list[str], *, config: StateConfig | None = None, validate: bool = True,
                   on_date: Callable[[str], None] | None = None) -> "Any":
    """One long table for backtests: the features table at each date, stacked, with ``as_of`` and ``id`` first.

    Row for row it equals ``features(kg, as_of=D)`` for every D; each date
    sees only facts valid and published by then.

    >>> from cnaikg.graph import build_graph
    >>> p = features_panel(build_graph(), ["2023-12-31", "2024-12-31"])
    >>> list(p.columns[:3]), sorted(set(p.as_of))
    (['as_of', 'id', 'name'], ['2023-12-31', '2024-12-31'])
    """
    import pandas as pd

    timeline = _Timeline(kg, config)
    frames = []
    for d in dates:
        if on_date:
            on_date(d)
        df = _features_table(timeline.arrays(d), timeline.names.__getitem__, validate=False).reset_index()
        df.insert(0, "as_of", d)
        frames.append(df)
    panel = pd.concat(frames, ignore_index=True)
    if validate:
        validate_features(panel, feature_schema(config or load_state_actors(), sorted(kg.ontology.relation_types)))
    return panel


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
    private = df[df.state_actor_kind == ""]  # SOEs and state banks are state actors themselves: not listed here
    top = private.sort_values(["policy_proximity", "name"], ascending=[False, True]).head(int(ctx.options.get("top", 10)))
    lines = ctx.results.setdefault("summary_lines", [])
    lines.append("\ntop companies by policy proximity (companies that are not state actors themselves):")
    for cid, r in top.iterrows():
        why = explanations[cid][0] if explanations[cid] else ""
        lines.append(f"  {r.policy_proximity:.3f}  {cid:<28} {why[:90]}")
    meta = features_metadata(kg, [None])
    return [write_features(df, out / "features.parquet", meta), write_features(df, out / "features.csv", meta)]


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


def scores_tables(config: StateConfig | None = None) -> str:
    """The two generated tables of docs/scores.md: the proximity components with their weights, then the features columns.

    >>> scores_tables().splitlines()[0]
    '| component | weight | what it measures |'
    """
    from cnaikg.queries.proximity import component_table

    lines = ["| component | weight | what it measures |", "|---|---:|---|"]
    for r in component_table(config):
        lines.append(f"| `{r['component']}` | {r['weight']:g} | {r['meaning'].replace('|', chr(92) + '|')} |")
    return "\n".join(lines) + "\n\n" + schema_markdown(config)


readme_tables = scores_tables  # the old name

BEGIN = "<!-- BEGIN generated: scores tables (python -m cnaikg.queries.features) -->"
END = "<!-- END generated: scores tables -->"


def scores_doc_path() -> Path:
    """docs/scores.md of the source tree."""
    return Path(__file__).resolve().parents[1] / "docs" / "scores.md"


def render_scores_doc(text: str, config: StateConfig | None = None) -> str:
    """``text`` (docs/scores.md) with the block between the markers replaced by the current tables.

    >>> render_scores_doc(f"a\\n{BEGIN}\\nold\\n{END}\\nb").splitlines()[2]
    '| component | weight | what it measures |'
    """
    import re

    if BEGIN not in text or END not in text:
        raise ValueError(f"no generated block: add the lines {BEGIN!r} and {END!r} where the tables go")
    block = f"{BEGIN}\n{scores_tables(config)}\n{END}"
    return re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)


if __name__ == "__main__":  # python -m cnaikg.queries.features rewrites the tables of docs/scores.md
    import sys

    doc = scores_doc_path()
    doc.write_text(render_scores_doc(doc.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {doc}", file=sys.stderr)
