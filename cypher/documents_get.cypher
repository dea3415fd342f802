// One document (when $doc_id is a string) or all of the namespace (when it is null).
MATCH (d:Document {ns: $ns})
WHERE $doc_id IS NULL OR d.id = $doc_id
RETURN d.id AS id, d.title AS title, d.content_hash AS content_hash, d.metadata AS metadata,
       d.failures AS failures, COUNT { (d)-[:HAS_PASSAGE]->(:Passage) } AS n_passages
ORDER BY id
