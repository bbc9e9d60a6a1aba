// description: Who funds a company, directly and through intermediaries (INVESTS_IN, OWNS, FUNDS chains), with the shortest chain.
// param company (entity): the funded company (id, name or ticker), e.g. 'moonshot-ai'
// param hops (integer, default 3): longest chain of funding links to follow (1 to 5)
// use: find the state money behind a lab, e.g. a state fund investing through a holding;
//   cnaikg cypher --name funders --param company=zhipu-ai
MATCH p = (funder:Entity)-[:INVESTS_IN|OWNS|FUNDS*1..5]->(c:Entity {id: $company})
WHERE length(p) <= $hops AND funder <> c
WITH funder, p ORDER BY length(p)
WITH funder, collect(p)[0] AS p
RETURN funder.id AS funder, funder.name AS name, funder.type AS type, length(p) AS hops,
       [n IN nodes(p)[1..-1] | n.id] AS via
ORDER BY hops, funder
