MATCH (p:Passage {ns: $ns})
RETURN p.id AS passage_id, [(p)-[:SUPPORTS]->(f:Fact) | f.id] AS fact_ids
