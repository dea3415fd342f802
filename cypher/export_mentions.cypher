// One record per passage with all its entity ids: far fewer records to stream and decode than
// one per edge.
MATCH (p:Passage {ns: $ns})
RETURN p.id AS passage_id, [(p)-[:MENTIONS]->(e:Entity) | e.id] AS entity_ids
