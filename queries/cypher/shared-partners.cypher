// description: Partners shared by two companies (PARTNERS_WITH is symmetric, so direction is ignored).
// param a (string): entity id of the first company, e.g. 'zhipu-ai'
// param b (string): entity id of the second company, e.g. 'moonshot-ai'
// use: find common universities, clouds or labs; cnaikg cypher --name shared-partners --param a=zhipu-ai --param b=baidu
MATCH (x:Entity {id: $a})-[:PARTNERS_WITH]-(p:Entity)-[:PARTNERS_WITH]-(y:Entity {id: $b})
WHERE p <> x AND p <> y
RETURN DISTINCT p.id AS partner, p.name AS name, p.type AS type
ORDER BY partner
