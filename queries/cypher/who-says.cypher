// description: Provenance: which sources state the facts from one entity to another, with publisher, date and confidence.
// param subject (entity): the subject (id, name or ticker), e.g. 'zhipu-ai'
// param object (entity): the object (id or name), e.g. 'us-entity-list'
// param relation (string, default null): one relationship type (e.g. 'ON_LIST'); null for every type
// use: answer "which source says Zhipu is on the Entity List?";
//   cnaikg cypher --name who-says --param subject=zhipu-ai --param object=us-entity-list
MATCH (a:Entity {id: $subject})-[r]->(b:Entity {id: $object})
WHERE $relation IS NULL OR type(r) = $relation
RETURN type(r) AS relation, r.source_publishers AS publishers, r.source_urls AS urls, r.source_dates AS published,
       r.confidence AS confidence, CASE r.since_precision WHEN 'year' THEN substring(toString(r.since), 0, 4) WHEN 'month' THEN substring(toString(r.since), 0, 7) ELSE toString(r.since) END AS since, CASE r.until_precision WHEN 'year' THEN substring(toString(r.until), 0, 4) WHEN 'month' THEN substring(toString(r.until), 0, 7) ELSE toString(r.until) END AS until
ORDER BY relation, since
