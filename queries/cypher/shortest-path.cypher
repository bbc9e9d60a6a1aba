// description: The shortest path between two entities over any relationship, in either direction (at most 8 hops).
// param from (entity): where the path starts (id, name or ticker), e.g. 'deepseek'
// param to (entity): where the path ends (id, name or ticker), e.g. 'big-fund-ii'
// use: explain how two actors are connected; cnaikg cypher --name shortest-path --param from=deepseek --param to=smic
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = shortestPath((a)-[*..8]-(b))
RETURN [n IN nodes(p) | n.id] AS path, [r IN relationships(p) | type(r)] AS relations, length(p) AS hops
