// description: Downstream of a supplier: every direct and indirect customer up to N SUPPLIES hops.
// param company (entity): the supplier (id, name or ticker), e.g. 'smic'
// param hops (integer, default 2): how many SUPPLIES hops to follow downstream (1 to 6)
// use: who would be hit if this supplier stopped delivering; cnaikg cypher --name customers --param company=smic
MATCH p = (s:Entity {id: $company})-[:SUPPLIES*1..6]->(customer:Entity)
WHERE length(p) <= $hops AND customer <> s
WITH customer, min(length(p)) AS hops
RETURN customer.id AS customer, customer.name AS name, customer.type AS type, hops
ORDER BY hops, customer
