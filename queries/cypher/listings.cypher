// description: Listed companies and ETFs by exchange, with ticker, board and listing kind.
// param exchange (entity, default null): one exchange (id or name) (e.g. 'sse'); null lists every exchange
// use: a ticker sheet for market data; cnaikg cypher --name listings --param exchange=hkex --format csv
MATCH (c:Entity)-[l:LISTED_ON]->(x:Exchange)
WHERE $exchange IS NULL OR x.id = $exchange
RETURN x.id AS exchange, l.ticker AS ticker, c.id AS entity, c.name AS name, l.board AS board, l.listing_kind AS listing_kind
ORDER BY exchange, ticker
