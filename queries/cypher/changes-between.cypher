// description: What changed between two dates: facts that started (valid_from) or ended (valid_until) in the window, inclusive.
// param from (date): first day of the window, YYYY-MM-DD
// param to (date): last day of the window, YYYY-MM-DD
// use: a changelog for a period; cnaikg cypher --name changes-between --param from=2024-01-01 --param to=2024-12-31
MATCH (a:Entity)-[r]->(b:Entity)
WHERE (r.valid_from >= $from AND r.valid_from <= $to) OR (r.valid_until > $from AND r.valid_until <= $to)
UNWIND [c IN [CASE WHEN r.valid_from >= $from AND r.valid_from <= $to THEN 'started' END,
              CASE WHEN r.valid_until > $from AND r.valid_until <= $to THEN 'ended' END] WHERE c IS NOT NULL] AS change
RETURN change, CASE change WHEN 'started' THEN r.valid_from ELSE r.valid_until END AS date,
       a.id AS subject, type(r) AS relation, b.id AS object, r.id AS fact
ORDER BY date, subject, relation, object
