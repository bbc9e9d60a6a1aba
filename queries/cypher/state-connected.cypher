// description: The entities most connected to Chinese state actors (as data/state_actors.toml defines them: state funds, PRC ministries and agencies, SOEs, state universities and labs, state programmes), by number of distinct state actors linked in either direction; places and LOCATED_IN links are left out.
// param limit (integer, default 20): how many entities to return
// use: a first cut at state proximity (the scores in `cnaikg features` go further); cnaikg cypher --name state-connected --param limit=10
MATCH (s:Entity)-[r]-(e:Entity)
WHERE s.state_actor IS NOT NULL AND e.state_actor IS NULL AND NOT e:Place AND type(r) <> 'LOCATED_IN'
WITH e, collect(DISTINCT s.id) AS state_actors
RETURN e.id AS entity, e.name AS name, e.type AS type, size(state_actors) AS n_state_actors, state_actors
ORDER BY n_state_actors DESC, entity
LIMIT $limit
