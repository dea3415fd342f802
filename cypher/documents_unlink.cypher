// Delete documents by id; returns one row per document that existed, with its passage ids
// (candidates for orphan collection).
UNWIND $doc_ids AS doc_id
MATCH (d:Document {key: $prefix + doc_id})
OPTIONAL MATCH (d)-[:HAS_PASSAGE]->(p:Passage)
WITH d, collect(p.id) AS passage_ids
DETACH DELETE d
RETURN passage_ids
