// description: What changed between two dates: facts that started (valid_from) or ended (valid_until, the first day they no longer held) in the window, both ends included.
// param from (date): first day of the window: YYYY-MM-DD, or YYYY-MM / YYYY for the first day of that month or year
// param to (end_date): last day of the window: YYYY-MM-DD, or YYYY-MM / YYYY for the last day of that month or year
// use: a changelog for a period; cnaikg cypher --name changes-between --param from=2024 --param to=2024
MATCH (a:Entity)-[r]->(b:Entity)
WHERE (r.valid_from >= $from AND r.valid_from <= $to) OR (r.valid_until >= $from AND r.valid_until <= $to)
UNWIND [c IN [CASE WHEN r.valid_from >= $from AND r.valid_from <= $to THEN 'started' END,
              CASE WHEN r.valid_until >= $from AND r.valid_until <= $to THEN 'ended' END] WHERE c IS NOT NULL] AS change
RETURN change, CASE change WHEN 'started' THEN r.valid_from ELSE r.valid_until END AS date,
       a.id AS subject, type(r) AS relation, b.id AS object, r.id AS fact
ORDER BY date, subject, relation, object, fact
