// One record per sentence with the ids of the entities it names.
MATCH (s:Sentence {ns: $ns})
RETURN s.id AS id, s.passage_id AS passage_id, s.position AS position, s.text AS text, s.embedding_f32 AS emb,
       [(s)-[:NAMES]->(e:Entity) | e.id] AS entity_ids
