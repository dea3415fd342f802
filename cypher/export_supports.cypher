MATCH (p:Passage {ns: $ns})-[:SUPPORTS]->(f:Fact)
RETURN p.id AS passage_id, f.id AS fact_id
