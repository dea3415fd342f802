// Passages the same transaction has just seen to be absent: the node, its HAS_PASSAGE edge and
// all its MENTIONS and SUPPORTS edges in one pass (the passage is looked up once, not once per
// edge). The counts let the caller notice a document, entity or fact that vanished meanwhile.
UNWIND $rows AS row
MATCH (d:Document {key: $prefix + row.doc_id})
CREATE (d)-[:HAS_PASSAGE {position: row.position}]->(p:Passage {key: $prefix + row.id, ns: $ns, id: row.id,
                                                               title: row.title, text: row.text,
                                                               embedding: row.embedding,
                                                               embedding_f32: row.embedding_f32})
WITH p, row
CALL (p, row) {
  UNWIND row.entity_ids AS entity_id
  MATCH (e:Entity {key: $prefix + entity_id})
  CREATE (p)-[:MENTIONS]->(e)
  RETURN count(*) AS mentions
}
CALL (p, row) {
  UNWIND row.fact_ids AS fact_id
  MATCH (f:Fact {key: $prefix + fact_id})
  CREATE (p)-[:SUPPORTS]->(f)
  RETURN count(*) AS supports
}
RETURN count(*) AS passages, sum(mentions) AS mentions, sum(supports) AS supports
