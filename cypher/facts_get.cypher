UNWIND $ids AS id
MATCH (f:Fact {key: $prefix + id})
RETURN f.id AS id, f.subject_id AS subject_id, f.predicate AS predicate, f.object_id AS object_id, f.text AS text
