UNWIND $rows AS row
MATCH (p:Passage {key: $prefix + row.passage_id})
MATCH (e:Entity {key: $prefix + row.entity_id})
MERGE (p)-[:MENTIONS]->(e)
