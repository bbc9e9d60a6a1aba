// description: Everything about one entity: its properties and every fact touching it, with direction and sources.
// param id (entity): the entity (id, name or ticker), e.g. 'deepseek'
// use: a profile card; cnaikg cypher --name entity --param id=deepseek --format json
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r]-(o:Entity)
RETURN e.name AS name, e.type AS type, type(r) AS relation, startNode(r).id = e.id AS outgoing, o.id AS other,
       CASE r.since_precision WHEN 'year' THEN substring(toString(r.since), 0, 4) WHEN 'month' THEN substring(toString(r.since), 0, 7) ELSE toString(r.since) END AS since, r.confidence AS confidence, r.source_urls AS sources
ORDER BY relation, other
