// Nearest entities by the vector index (filled only when the store writes float-list embeddings).
CALL db.index.vector.queryNodes('entity_embedding', $fetch, $vector) YIELD node, score
WITH node, score
WHERE node.ns = $ns
RETURN node.id AS id, score
ORDER BY score DESC
LIMIT $k
