UNWIND $rows AS row
MATCH (p:Passage {key: $prefix + row.passage_id})
MATCH (f:Fact {key: $prefix + row.fact_id})
MERGE (p)-[:SUPPORTS]->(f)
