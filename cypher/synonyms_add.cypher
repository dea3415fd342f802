// Stored once per pair, directed a -> b with a < b; an existing edge keeps its weight.
UNWIND $rows AS row
MATCH (a:Entity {key: $prefix + row.a})
MATCH (b:Entity {key: $prefix + row.b})
MERGE (a)-[s:SYNONYM]->(b)
ON CREATE SET s.weight = row.weight
