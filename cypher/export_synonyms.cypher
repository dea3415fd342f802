MATCH (a:Entity {ns: $ns})-[s:SYNONYM]->(b:Entity)
RETURN a.id AS a, b.id AS b, s.weight AS weight
