MATCH (e:Entity {ns: $ns})
WHERE e.synonyms_pending
RETURN e.id AS id
ORDER BY id
