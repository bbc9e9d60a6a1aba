// description: Companies on an export-control or sanctions list, with the date added and their direct customers and suppliers.
// param list (entity, default "us-entity-list"): the list (id or name)
// use: exposure screening: who buys from or sells to listed entities; cnaikg cypher --name export-control
MATCH (c:Entity)-[l:ON_LIST]->(:Entity {id: $list})
OPTIONAL MATCH (c)-[:SUPPLIES]->(customer:Entity)
OPTIONAL MATCH (supplier:Entity)-[:SUPPLIES]->(c)
WITH c, l, collect(DISTINCT customer.id) AS customers, collect(DISTINCT supplier.id) AS suppliers
RETURN c.id AS entity, c.name AS name, l.date_added AS date_added, customers, suppliers
ORDER BY entity
