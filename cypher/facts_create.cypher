// Facts the same transaction has just seen to be absent, with their SUBJECT/OBJECT edges and the
// browsable RELATION mirror. Subject and object are matched first, so a fact is never created
// without its edges; the count lets the caller notice a row whose entity vanished meanwhile.
UNWIND $rows AS row
MATCH (s:Entity {key: $prefix + row.subject_id})
MATCH (o:Entity {key: $prefix + row.object_id})
CREATE (s)<-[:SUBJECT]-(f:Fact {key: $prefix + row.id, ns: $ns, id: row.id, subject_id: row.subject_id,
                                predicate: row.predicate, object_id: row.object_id, text: row.text,
                                embedding: row.embedding, embedding_f32: row.embedding_f32})-[:OBJECT]->(o)
CREATE (s)-[:RELATION {fact_id: row.id, predicate: row.predicate}]->(o)
RETURN count(*) AS written
