// Aliases a passage attests ("Gandhi" -> "Mahatma Gandhi"): one ALIAS_OF edge per passage and
// pair, carrying the passage id so the edge dies with that passage.
UNWIND $rows AS row
MATCH (a:Entity {key: $prefix + row.alias_id})
MATCH (b:Entity {key: $prefix + row.entity_id})
MERGE (a)-[:ALIAS_OF {passage_id: row.passage_id}]->(b)
