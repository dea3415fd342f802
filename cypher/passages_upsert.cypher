// A passage that exists keeps its stored text and embedding (ids are content hashes).
// `embedding_f32` (raw little-endian float32 bytes) is what the snapshot export reads, far cheaper
// to ship and decode than a float list. `embedding` (a float list, the vector index's property) is
// null, so not written, unless the store was opened with vector_index=True.
UNWIND $rows AS row
MERGE (p:Passage {key: $prefix + row.id})
ON CREATE SET p.ns = $ns, p.id = row.id, p.title = row.title, p.text = row.text,
              p.embedding = row.embedding, p.embedding_f32 = row.embedding_f32
WITH p, row
MATCH (d:Document {key: $prefix + row.doc_id})
MERGE (d)-[h:HAS_PASSAGE]->(p)
ON CREATE SET h.position = row.position
