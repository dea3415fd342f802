MATCH (p:Passage {ns: $ns})
RETURN p.id AS id, p.embedding_f32 AS emb
