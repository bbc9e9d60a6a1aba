// description: The supply chain of a company: every supplier up to N hops upstream, with the shortest distance and one chain.
// param company (entity): the company (id, name or ticker) whose suppliers you want, e.g. 'deepseek'
// param hops (integer, default 3): how many SUPPLIES hops to follow upstream (1 to 6)
// use: map upstream dependencies (chips, foundries, tools) of a lab before an export-control review;
//   cnaikg cypher --name supply-chain --param company=deepseek --param hops=3
MATCH p = (supplier:Entity)-[:SUPPLIES*1..6]->(c:Entity {id: $company})
WHERE length(p) <= $hops AND supplier <> c
WITH supplier, p ORDER BY length(p)
WITH supplier, collect(p)[0] AS p
RETURN supplier.id AS supplier, supplier.name AS name, length(p) AS hops,
       [n IN nodes(p) | n.id] AS chain
ORDER BY hops, supplier
