// A fact node with SUBJECT/OBJECT edges, plus a browsable (:Entity)-[:RELATION]->(:Entity)
// mirror carrying the predicate. The idempotent one-fact-at-a-time form (the per-row path of
// benchmarks/neo4j_write.py); the store itself reads first and CREATEs only what is new
// (facts_create).
UNWIND $rows AS row
MERGE (f:Fact {key: $prefix + row.id})
ON CREATE SET f.ns = $ns, f.id = row.id, f.subject_id = row.subject_id, f.predicate = row.predicate,
              f.object_id = row.object_id, f.text = row.text, f.embedding = row.embedding,
              f.embedding_f32 = row.embedding_f32
WITH f, row
MATCH (s:Entity {key: $prefix + row.subject_id})
MATCH (o:Entity {key: $prefix + row.object_id})
MERGE (f)-[:SUBJECT]->(s)
MERGE (f)-[:OBJECT]->(o)
MERGE (s)-[r:RELATION {fact_id: f.id}]->(o)
ON CREATE SET r.predicate = f.predicate
