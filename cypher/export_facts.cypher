MATCH (f:Fact {ns: $ns})
RETURN f.id AS id, f.subject_id AS subject_id, f.object_id AS object_id, f.text AS text, f.embedding_f32 AS emb
