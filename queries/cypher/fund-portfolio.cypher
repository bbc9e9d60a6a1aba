// description: The portfolio of a fund (state or private): what it invests in, owns or holds, with stake, round and dates.
// param fund (entity): the fund (id or name), e.g. 'big-fund-ii'
// use: list the holdings of a state fund; cnaikg cypher --name fund-portfolio --param fund=big-fund-ii
MATCH (f:Entity {id: $fund})-[r:INVESTS_IN|OWNS|HOLDS]->(c:Entity)
RETURN c.id AS company, c.name AS name, type(r) AS relation, r.stake_pct AS stake_pct,
       r.round AS round, CASE r.since_precision WHEN 'year' THEN substring(toString(r.since), 0, 4) WHEN 'month' THEN substring(toString(r.since), 0, 7) ELSE toString(r.since) END AS since, CASE r.until_precision WHEN 'year' THEN substring(toString(r.until), 0, 4) WHEN 'month' THEN substring(toString(r.until), 0, 7) ELSE toString(r.until) END AS until, r.confidence AS confidence
ORDER BY company, relation, since
