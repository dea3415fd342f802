// Sentences of passages this transaction has just created (passages_create): the node, its
// HAS_SENTENCE edge and its NAMES edges to the entities it names, in one pass. The counts let the
// caller notice a passage or entity that vanished meanwhile.
UNWIND $rows AS row
MATCH (p:Passage {key: $prefix + row.passage_id})
CREATE (p)-[:HAS_SENTENCE]->(s:Sentence {key: $prefix + row.id, ns: $ns, id: row.id, passage_id: row.passage_id,
                                         position: row.position, text: row.text, embedding_f32: row.embedding_f32})
WITH s, row
CALL (s, row) {
  UNWIND row.entity_ids AS entity_id
  MATCH (e:Entity {key: $prefix + entity_id})
  CREATE (s)-[:NAMES]->(e)
  RETURN count(*) AS names
}
RETURN count(*) AS sentences, sum(names) AS names
