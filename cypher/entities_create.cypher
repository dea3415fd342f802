// Entities the same transaction has just seen to be absent (write_existing); they wait in the
// pending-synonymy list (synonyms_pending) until add_synonyms resolves them. A null `embedding`
// (no vector index wanted) is simply not stored.
UNWIND $rows AS row
CREATE (e:Entity {key: $prefix + row.id, ns: $ns, id: row.id, name: row.name, embedding: row.embedding,
                  embedding_f32: row.embedding_f32, synonyms_pending: true})
