"""State actors and score settings, read from data/state_actors.toml (kinds, rules, weights, parameters).

>>> cfg = load_state_actors()
>>> cfg.kinds["central_fund"].weight
1.0
>>> from cnaikg.graph import build_graph
>>> actors = state_actors(build_graph())
>>> actors["big-fund-ii"].kind, actors["tsinghua"].kind
('central_fund', 'university_or_lab')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from cnaikg.errors import DataError, Problem
from cnaikg.io import read_toml
from cnaikg.paths import data_dir

__all__ = ["StateConfig", "Kind", "StateActor", "load_state_actors", "state_actors", "unknown_state_actor_ids", "PROXIMITY_COMPONENT_NAMES"]

#: The components the weights table must name (declared in cnaikg.queries.proximity).
PROXIMITY_COMPONENT_NAMES = (
    "direct_state_equity",
    "lookthrough_state_equity",
    "state_lab_university_ties",
    "state_commercial_ties",
    "state_programmes",
    "state_diffusion",
)

_DEFAULT_PARAMETERS: dict[str, Any] = {
    "default_stake": 0.05,
    "default_subsidiary_stake": 0.51,
    "diffusion_decay": 0.3,
    "diffusion_hops": 4,
    "pagerank_alpha": 0.85,
    "pagerank_tolerance": 1e-9,
    "exact_max_nodes": 5000,
    "betweenness_samples": 64,
    "betweenness_seed": 42,
    "ownership_tolerance": 1e-9,
    "ownership_max_depth": 50,
    "ownership_prune": 1e-2,
    "supply_sketches": 32,
    "supply_max_depth": 0,
}


@dataclass(frozen=True)
class Kind:
    """A kind of state actor: its label, default weight and description."""

    name: str
    label: str
    weight: float
    description: str = ""


@dataclass(frozen=True)
class StateActor:
    """One state actor of the graph: id, kind and weight in [0, 1]."""

    id: str
    kind: str
    weight: float


@dataclass(frozen=True)
class StateConfig:
    """Everything data/state_actors.toml declares."""

    kinds: Mapping[str, Kind]
    by_type: tuple[Mapping[str, Any], ...]
    ids: Mapping[str, Mapping[str, Any]]
    proximity_weights: Mapping[str, float]
    relation_weights: Mapping[str, float]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""

    def actor_for(self, entity_id: str, entity_type: str, category: str = "") -> StateActor | None:
        """The StateActor an entity is, or None; an [ids] entry wins over the type rules.

        >>> load_state_actors().actor_for("x", "government_body", "foreign") is None
        True
        """
        spec = self.ids.get(entity_id)
        if spec is None:
            for rule in self.by_type:
                if rule["type"] == entity_type and (not rule.get("categories") or category in rule["categories"]):
                    spec = rule
                    break
        if spec is None:
            return None
        kind = spec["kind"]
        return StateActor(entity_id, kind, float(spec.get("weight", self.kinds[kind].weight)))

    def with_weights(self, weights: Mapping[str, float] | None) -> "StateConfig":
        """A copy whose proximity weights are overridden by ``weights`` (unknown names are an error)."""
        if not weights:
            return self
        bad = sorted(set(weights) - set(PROXIMITY_COMPONENT_NAMES))
        if bad:
            raise DataError([Problem("weights", 0, b, "not a policy-proximity component", f"use one of {', '.join(PROXIMITY_COMPONENT_NAMES)}") for b in bad])
        merged = {**self.proximity_weights, **{k: float(v) for k, v in weights.items()}}
        return StateConfig(self.kinds, self.by_type, self.ids, merged, self.relation_weights, self.parameters, self.path)


_CACHE: dict[str, StateConfig] = {}


def load_state_actors(path: str | Path | None = None) -> StateConfig:
    """Read and check a state-actors file (default: data/state_actors.toml); DataError lists every problem.

    >>> sorted(load_state_actors().proximity_weights)[:2]
    ['direct_state_equity', 'lookthrough_state_equity']
    """
    p = Path(path) if path else data_dir() / "state_actors.toml"
    key = str(p.resolve())
    if key in _CACHE:
        return _CACHE[key]
    shown = str(p)
    raw = read_toml(p, "state-actors TOML file (see data/state_actors.toml)")
    problems: list[Problem] = []

    def unit(value: Any, where: str) -> float:
        try:
            v = float(value)
        except (TypeError, ValueError):
            v = -1.0
        if not 0.0 <= v <= 1.0:
            problems.append(Problem(shown, 0, where, f"weight {value!r} is not a number in [0, 1]", "write a number between 0 and 1"))
        return v

    kinds = {}
    for name, spec in raw.get("kinds", {}).items():
        kinds[name] = Kind(name, spec.get("label", name), unit(spec.get("weight"), f"kinds.{name}.weight"), spec.get("description", ""))
    if not kinds:
        problems.append(Problem(shown, 0, "kinds", "no kinds declared", "add [kinds.<name>] tables with label and weight"))
    rules = tuple(raw.get("by_type", []))
    for i, rule in enumerate(rules):
        if "type" not in rule:
            problems.append(Problem(shown, 0, f"by_type[{i}]", "rule without type", "add type = \"<entity type>\""))
    ids = dict(raw.get("ids", {}))
    entries = [(f"by_type[{i}]", r) for i, r in enumerate(rules)] + [(f"ids.{k}", v) for k, v in ids.items()]
    for where, spec in entries:
        if spec.get("kind") not in kinds:
            problems.append(Problem(shown, 0, where, f"unknown kind {spec.get('kind')!r}", f"use one of {', '.join(kinds)}"))
        if "weight" in spec:
            unit(spec["weight"], f"{where}.weight")
    pw = {k: unit(v, f"proximity_weights.{k}") for k, v in raw.get("proximity_weights", {}).items()}
    for name in PROXIMITY_COMPONENT_NAMES:
        if name not in pw:
            problems.append(Problem(shown, 0, "proximity_weights", f"no weight for component {name!r}", f"add {name} = <weight> under [proximity_weights]"))
    for name in set(pw) - set(PROXIMITY_COMPONENT_NAMES):
        problems.append(Problem(shown, 0, f"proximity_weights.{name}", "not a policy-proximity component", f"use one of {', '.join(PROXIMITY_COMPONENT_NAMES)}"))
    if pw and sum(pw.values()) <= 0:
        problems.append(Problem(shown, 0, "proximity_weights", "weights sum to 0", "give at least one component a positive weight"))
    rw = {k: unit(v, f"relation_weights.{k}") for k, v in raw.get("relation_weights", {}).items()}
    params = {**_DEFAULT_PARAMETERS, **raw.get("parameters", {})}
    if problems:
        raise DataError(problems)
    cfg = StateConfig(kinds, rules, ids, pw, rw, params, shown)
    _CACHE[key] = cfg
    return cfg


def state_actors(kg: Any, *, as_of: Any = None, config: StateConfig | None = None) -> dict[str, StateActor]:
    """The state actors among the graph's entities, by id (sorted).

    >>> from cnaikg.graph import build_graph
    >>> "bis" in state_actors(build_graph())   # foreign government bodies are not state actors
    False
    """
    cfg = config or load_state_actors()
    view = kg.as_of(as_of) if as_of is not None else kg.current()
    out = {}
    for e in view.entities():
        a = cfg.actor_for(e.id, e.type, e.category)
        if a is not None:
            out[e.id] = a
    return out


def unknown_state_actor_ids(kg: Any, config: StateConfig | None = None) -> list[str]:
    """Ids listed under [ids] that the graph does not hold (typos or entities not yet added).

    >>> from cnaikg.graph import build_graph
    >>> isinstance(unknown_state_actor_ids(build_graph()), list)
    True
    """
    cfg = config or load_state_actors()
    return sorted(i for i in cfg.ids if i not in kg)
