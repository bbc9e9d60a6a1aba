// description: Partners shared by two companies (PARTNERS_WITH is symmetric, so direction is ignored).
// param a (entity): the first company (id, name or ticker), e.g. 'zhipu-ai'
// param b (entity): the second company (id, name or ticker), e.g. 'moonshot-ai'
// use: find common universities, clouds or labs; cnaikg cypher --name shared-partners --param a=zhipu-ai --param b=baidu
MATCH (x:Entity {id: $a})-[:PARTNERS_WITH]-(p:Entity)-[:PARTNERS_WITH]-(y:Entity {id: $b})
WHERE p <> x AND p <> y
RETURN DISTINCT p.id AS partner, p.name AS name, p.type AS type
ORDER BY partner
