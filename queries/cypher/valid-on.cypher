// description: The facts about one entity that held on a given date (since <= date < until), both directions.
// param id (string): entity id, e.g. 'smic'
// param date (date): the day, YYYY-MM-DD
// use: a point-in-time view of one entity; cnaikg cypher --name valid-on --param id=smic --param date=2020-01-01
MATCH (e:Entity {id: $id})-[r]-(o:Entity)
WHERE (r.valid_from IS NULL OR r.valid_from <= $date) AND (r.valid_until IS NULL OR r.valid_until > $date)
RETURN type(r) AS relation, startNode(r).id = e.id AS outgoing, o.id AS other, r.since AS since, r.until AS until
ORDER BY relation, other
