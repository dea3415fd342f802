// New entities wait in the pending-synonymy list (synonyms_pending) until add_synonyms
// resolves them; returns the ids that were really new.
UNWIND $rows AS row
MERGE (e:Entity {key: $prefix + row.id})
ON CREATE SET e.ns = $ns, e.id = row.id, e.name = row.name, e.embedding = row.embedding,
              e.embedding_f32 = row.embedding_f32, e.synonyms_pending = true, e.created_now = true
WITH e
WHERE e.created_now
REMOVE e.created_now
RETURN e.id AS id
