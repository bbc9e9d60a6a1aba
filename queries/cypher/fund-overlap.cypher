// description: The overlap between two funds: companies both invest in, own or hold, with how each is linked.
// param fund_a (entity): the first fund (id or name), e.g. 'big-fund-i'
// param fund_b (entity): the second fund (id or name), e.g. 'big-fund-ii'
// use: spot co-investment by state funds; cnaikg cypher --name fund-overlap --param fund_a=big-fund-i --param fund_b=big-fund-ii
MATCH (a:Entity {id: $fund_a})-[ra:INVESTS_IN|OWNS|HOLDS]->(c:Entity)<-[rb:INVESTS_IN|OWNS|HOLDS]-(b:Entity {id: $fund_b})
WITH c, collect(DISTINCT type(ra)) AS via_a, collect(DISTINCT type(rb)) AS via_b
RETURN c.id AS company, c.name AS name, via_a, via_b
ORDER BY company
