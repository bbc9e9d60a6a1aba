// description: Everything about one entity: its properties and every fact touching it, with direction and sources.
// param id (string): entity id, e.g. 'deepseek'
// use: a profile card; cnaikg cypher --name entity --param id=deepseek --format json
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r]-(o:Entity)
RETURN e.name AS name, e.type AS type, type(r) AS relation, startNode(r).id = e.id AS outgoing, o.id AS other,
       r.since AS since, r.confidence AS confidence, r.source_urls AS sources
ORDER BY relation, other
