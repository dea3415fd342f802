UNWIND $ids AS id
MATCH (n:Passage {key: $prefix + id})
RETURN n.id AS id
