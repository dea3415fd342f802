MATCH (p:Passage {ns: $ns})-[:MENTIONS]->(e:Entity)
RETURN p.id AS passage_id, e.id AS entity_id
