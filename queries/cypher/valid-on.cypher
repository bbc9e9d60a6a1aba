// description: The facts about one entity as `kg.as_of` sees them on a date: valid then (valid_from <= date < valid_until), already public (known_since <= date), between entities founded by then; both directions.
// param id (entity): the entity (id, name or ticker), e.g. 'smic'
// param date (date): the day: YYYY-MM-DD, or YYYY-MM / YYYY for the first day of that month or year
// use: a point-in-time view of one entity; cnaikg cypher --name valid-on --param id=smic --param date=2020-01-01
MATCH (e:Entity {id: $id})-[r]-(o:Entity)
WHERE (r.valid_from IS NULL OR r.valid_from <= $date) AND (r.valid_until IS NULL OR r.valid_until > $date)
  AND r.known_since IS NOT NULL AND r.known_since <= $date
  AND (e.founded IS NULL OR e.founded <= $date) AND (o.founded IS NULL OR o.founded <= $date)
RETURN type(r) AS relation, startNode(r).id = e.id AS outgoing, o.id AS other, CASE r.since_precision WHEN 'year' THEN substring(toString(r.since), 0, 4) WHEN 'month' THEN substring(toString(r.since), 0, 7) ELSE toString(r.since) END AS since, CASE r.until_precision WHEN 'year' THEN substring(toString(r.until), 0, 4) WHEN 'month' THEN substring(toString(r.until), 0, 7) ELSE toString(r.until) END AS until, r.id AS fact
ORDER BY relation, other, fact
