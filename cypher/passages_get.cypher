// Passages with the document that has them (the smallest document id when several do).
UNWIND $ids AS id
MATCH (p:Passage {key: $prefix + id})
OPTIONAL MATCH (d:Document)-[h:HAS_PASSAGE]->(p)
WITH p, d, h
ORDER BY d.id
WITH p, collect({doc_id: d.id, position: h.position})[0] AS first
RETURN p.id AS id, p.title AS title, p.text AS text, first.doc_id AS doc_id, first.position AS position
