// Delete the given entities no passage mentions and no fact uses; DETACH DELETE takes their
// SYNONYM edges with them. Unit scores of the entity go too.
UNWIND $entity_ids AS eid
MATCH (e:Entity {key: $prefix + eid})
WHERE NOT EXISTS { (:Passage)-[:MENTIONS]->(e) } AND NOT EXISTS { (:Fact)-[:SUBJECT|OBJECT]->(e) }
CALL (e) {
  MATCH (u:UnitScore {ns: $ns, unit_id: e.id})
  DELETE u
}
DETACH DELETE e
RETURN count(*) AS deleted
