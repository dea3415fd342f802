// Delete the given facts no passage supports any more, with their RELATION mirror edge and
// unit scores; returns their subject and object ids (entity orphan candidates).
UNWIND $fact_ids AS fid
MATCH (f:Fact {key: $prefix + fid})
WHERE NOT EXISTS { (:Passage)-[:SUPPORTS]->(f) }
CALL (f) {
  MATCH (f)-[:SUBJECT]->(:Entity)-[r:RELATION {fact_id: f.id}]->(:Entity)<-[:OBJECT]-(f)
  DELETE r
}
CALL (f) {
  MATCH (u:UnitScore {ns: $ns, unit_id: f.id})
  DELETE u
}
WITH f, f.subject_id AS subject_id, f.object_id AS object_id
DETACH DELETE f
RETURN subject_id, object_id
