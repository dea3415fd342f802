// One record per entity with its outgoing synonym edges (a -> b, a < b) as parallel lists.
MATCH (a:Entity {ns: $ns})-[s:SYNONYM]->(b:Entity)
WITH a, collect(b.id) AS bs, collect(s.weight) AS weights
RETURN a.id AS a, bs, weights
