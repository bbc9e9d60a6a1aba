// description: The most active investors: number of distinct companies each invests in or owns, with its type.
// param limit (integer, default 20): how many investors to return
// use: rank state funds against private ones; cnaikg cypher --name top-investors --param limit=10
MATCH (i:Entity)-[:INVESTS_IN|OWNS]->(c:Entity)
WITH i, count(DISTINCT c) AS companies
RETURN i.id AS investor, i.name AS name, i.type AS type, companies
ORDER BY companies DESC, investor
LIMIT $limit
