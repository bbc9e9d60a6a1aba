// description: The entities most connected to state actors (state funds and government bodies), by number of distinct state actors.
// param limit (integer, default 20): how many entities to return
// use: a first cut at state proximity; cnaikg cypher --name state-connected --param limit=10
MATCH (s:Entity)-[]-(e:Entity)
WHERE (s:StateFund OR s:GovernmentBody) AND NOT (e:StateFund OR e:GovernmentBody)
WITH e, collect(DISTINCT s.id) AS state_actors
RETURN e.id AS entity, e.name AS name, e.type AS type, size(state_actors) AS n_state_actors, state_actors
ORDER BY n_state_actors DESC, entity
LIMIT $limit
