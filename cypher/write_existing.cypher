// Which of the ids a write_documents call is about to write exist already — one read that lets
// the write skip unlinking for brand-new documents and CREATE (not MERGE) what is new.
CALL () {
  UNWIND $doc_ids AS id
  MATCH (n:Document {key: $prefix + id})
  RETURN collect(n.id) AS documents
}
CALL () {
  UNWIND $passage_ids AS id
  MATCH (n:Passage {key: $prefix + id})
  RETURN collect(n.id) AS passages
}
CALL () {
  UNWIND $entity_ids AS id
  MATCH (n:Entity {key: $prefix + id})
  RETURN collect(n.id) AS entities
}
CALL () {
  UNWIND $fact_ids AS id
  MATCH (n:Fact {key: $prefix + id})
  RETURN collect(n.id) AS facts
}
RETURN documents, passages, entities, facts
