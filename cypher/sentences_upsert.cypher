// Sentences of passages that existed before this write (a sentence's id is its passage's content
// hash and its place, so one that exists is left as it is); edges are MERGEd, never duplicated.
UNWIND $rows AS row
MATCH (p:Passage {key: $prefix + row.passage_id})
MERGE (s:Sentence {key: $prefix + row.id})
ON CREATE SET s.ns = $ns, s.id = row.id, s.passage_id = row.passage_id, s.position = row.position,
              s.text = row.text, s.embedding_f32 = row.embedding_f32
MERGE (p)-[:HAS_SENTENCE]->(s)
WITH s, row
CALL (s, row) {
  UNWIND row.entity_ids AS entity_id
  MATCH (e:Entity {key: $prefix + entity_id})
  MERGE (s)-[:NAMES]->(e)
}
RETURN count(*) AS sentences
