"""data/ontology.ttl is generated from data/ontology.toml and never drifts from it; every type becomes an RDF term."""

from __future__ import annotations

import shutil

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from cnaikg.graph.ontology import load_ontology
from cnaikg.graph.rdf.ontology import (
    CLASS_ALIGNMENT,
    RELATION_ALIGNMENT,
    SCHEMA,
    class_iri,
    ontology_turtle,
    property_iri,
    rdf_namespaces,
    relation_iri,
)
from cnaikg.paths import data_dir


def test_shipped_ontology_ttl_is_exactly_what_ontology_toml_generates():
    shipped = (data_dir() / "ontology.ttl").read_text(encoding="utf-8")
    assert shipped == ontology_turtle(), "data/ontology.ttl is stale: run `python -m cnaikg.graph.rdf.ontology` and commit the result"


def test_every_entity_type_is_a_class_and_every_relationship_a_property_under_the_meta_namespace():
    onto = load_ontology()
    g = Graph().parse(data_dir() / "ontology.ttl", format="turtle")
    ns = rdf_namespaces(onto)
    assert str(ns.ont) == onto.meta["namespace"] and str(ns.entity) == onto.meta["entity_namespace"]
    assert (ns.ontology_iri, RDF.type, OWL.Ontology) in g
    for t, spec in onto.entity_types.items():
        c = class_iri(ns, t)
        assert (c, RDF.type, OWL.Class) in g
        assert (c, RDFS.label, Literal(spec.label, lang="en")) in g
        assert (c, RDFS.subClassOf, ns.ont.Entity) in g
    for r, spec in onto.relation_types.items():
        p = relation_iri(ns, r)
        assert (p, RDF.type, OWL.ObjectProperty) in g
        assert ((p, RDF.type, OWL.SymmetricProperty) in g) == spec.symmetric
        assert {o for o in g.objects(p, SCHEMA.domainIncludes)} == {class_iri(ns, t) for t in spec.domain}
        assert {o for o in g.objects(p, SCHEMA.rangeIncludes)} == {class_iri(ns, t) for t in spec.range}
        for prop in spec.properties:
            assert (property_iri(ns, prop), RDF.type, OWL.DatatypeProperty) in g


def test_alignment_with_schema_org_org_and_prov():
    onto = load_ontology()
    g = Graph().parse(data_dir() / "ontology.ttl", format="turtle")
    ns = rdf_namespaces(onto)
    assert set(CLASS_ALIGNMENT) <= set(onto.entity_types), "CLASS_ALIGNMENT names a type that ontology.toml no longer declares"
    assert set(RELATION_ALIGNMENT) <= set(onto.relation_types)
    assert (class_iri(ns, "company"), RDFS.subClassOf, SCHEMA.Corporation) in g
    assert (class_iri(ns, "company"), RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#FormalOrganization")) in g
    assert (ns.ont.Statement, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in g
    assert (relation_iri(ns, "LOCATED_IN"), RDFS.subPropertyOf, SCHEMA.location) in g


def test_a_type_added_to_ontology_toml_appears_in_the_generated_ttl(tmp_path):
    toml = tmp_path / "ontology.toml"
    shutil.copy(data_dir() / "ontology.toml", toml)
    with toml.open("a", encoding="utf-8") as fh:
        fh.write('\n[entity_types.data_centre]\nlabel = "Data centre"\ndescription = "A computing facility."\n')
    text = ontology_turtle(load_ontology(toml))
    assert "cnaikg:DataCentre a owl:Class" in text and '"Data centre"@en' in text
    assert text != ontology_turtle()
