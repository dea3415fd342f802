MATCH (p:Passage {ns: $ns})
WHERE p.id > $after
RETURN p.id AS id
ORDER BY id
LIMIT $limit
