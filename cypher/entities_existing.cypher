UNWIND $ids AS id
MATCH (n:Entity {key: $prefix + id})
RETURN n.id AS id
