// The idempotent one-entity-at-a-time form (the per-row path of benchmarks/neo4j_write.py); the
// store itself reads first and CREATEs only what is new (entities_create). New entities wait in
// the pending-synonymy list (synonyms_pending) until add_synonyms resolves them.
UNWIND $rows AS row
MERGE (e:Entity {key: $prefix + row.id})
ON CREATE SET e.ns = $ns, e.id = row.id, e.name = row.name, e.embedding = row.embedding,
              e.embedding_f32 = row.embedding_f32, e.synonyms_pending = true
