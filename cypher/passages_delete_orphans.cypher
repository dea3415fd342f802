// Delete the given passages that no document has any more, with their MENTIONS and SUPPORTS
// edges, their sentences (and the sentences' NAMES edges) and the ALIAS_OF edges they attested;
// returns the entities and facts they touched (orphan candidates).
UNWIND $passage_ids AS pid
MATCH (p:Passage {key: $prefix + pid})
WHERE NOT EXISTS { (:Document)-[:HAS_PASSAGE]->(p) }
CALL (p) {
  MATCH (p)-[:HAS_SENTENCE]->(s:Sentence)
  DETACH DELETE s
}
CALL (p) {
  MATCH (p)-[:MENTIONS]->(:Entity)-[r:ALIAS_OF {passage_id: p.id}]->(:Entity)
  DELETE r
}
OPTIONAL MATCH (p)-[:MENTIONS]->(e:Entity)
WITH p, collect(e.id) AS entity_ids
OPTIONAL MATCH (p)-[:SUPPORTS]->(f:Fact)
WITH p, entity_ids, collect(f.id) AS fact_ids
DETACH DELETE p
RETURN entity_ids, fact_ids
