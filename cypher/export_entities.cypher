MATCH (e:Entity {ns: $ns})
RETURN e.id AS id, e.name AS name, e.embedding_f32 AS emb
