"""The ontology file is the single declaration of types; these tests read like an analyst checking it."""

import pytest

from cnaikg.errors import OntologyError
from cnaikg.graph.ontology import load_ontology

REQUIRED_ENTITY_TYPES = {"company", "state_fund", "fund", "government_body", "university", "research_lab", "exchange",
                         "index", "etf", "person", "product", "place", "program"}
REQUIRED_RELATIONS = {
    "SUPPLIES": set(), "INVESTS_IN": {"round", "amount", "currency", "stake_pct"}, "OWNS": {"stake_pct"},
    "SUBSIDIARY_OF": {"stake_pct"}, "PARTNERS_WITH": set(), "LISTED_ON": {"ticker", "board", "listing_date"},
    "DEVELOPS": set(), "USES": set(), "FOUNDED_BY": set(), "AFFILIATED_WITH": set(), "LOCATED_IN": set(),
    "HOLDS": {"weight_pct", "as_of"}, "MEMBER_OF": set(), "ON_LIST": set(), "FUNDS": set(),
}


def test_declares_every_required_type():
    onto = load_ontology()
    assert REQUIRED_ENTITY_TYPES <= set(onto.entity_types)
    for rel, props in REQUIRED_RELATIONS.items():
        assert props <= set(onto.relation(rel).properties), rel


def test_domain_and_range_are_checked():
    onto = load_ontology()
    assert onto.relation("LISTED_ON").allows("company", "exchange")
    assert not onto.relation("LISTED_ON").allows("exchange", "company")
    # symmetric relations accept either direction
    assert onto.relation("PARTNERS_WITH").symmetric
    assert onto.relation("PARTNERS_WITH").allows("university", "company")


def test_unknown_names_are_refused_with_the_known_ones():
    onto = load_ontology()
    with pytest.raises(OntologyError, match="known: ADMINISTERS"):
        onto.relation("OWNED_BY")
    with pytest.raises(OntologyError, match="neither an entity type nor a relationship type"):
        onto.check_label("Company) DETACH DELETE n //")


def test_a_broken_ontology_names_the_bad_reference(tmp_path):
    bad = tmp_path / "ontology.toml"
    bad.write_text('[entity_types.company]\nlabel="Company"\n[relation_types.SUPPLIES]\ndescription="x"\ndomain=["company"]\nrange=["factory"]\n')
    with pytest.raises(OntologyError, match="relation_types.SUPPLIES.range: 'factory' is not a declared entity type"):
        load_ontology(bad)


def test_the_data_model_page_tables_match_the_ontology():
    """docs/data-model.md's type tables are generated from data/ontology.toml; regenerate with `make docs`."""
    from cnaikg.docs import check
    from conftest import REPO

    page = REPO / "docs" / "data-model.md"
    assert "<!-- BEGIN generated: ontology -->" in page.read_text(encoding="utf-8")
    assert not check([page]), "docs/data-model.md is stale: run `make docs`"
