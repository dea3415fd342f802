// Delete the given passages that no document has any more, with their MENTIONS and SUPPORTS
// edges; returns the entities and facts they touched (orphan candidates).
UNWIND $passage_ids AS pid
MATCH (p:Passage {key: $prefix + pid})
WHERE NOT EXISTS { (:Document)-[:HAS_PASSAGE]->(p) }
OPTIONAL MATCH (p)-[:MENTIONS]->(e:Entity)
WITH p, collect(e.id) AS entity_ids
OPTIONAL MATCH (p)-[:SUPPORTS]->(f:Fact)
WITH p, entity_ids, collect(f.id) AS fact_ids
DETACH DELETE p
RETURN entity_ids, fact_ids
