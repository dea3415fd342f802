UNWIND $ids AS id
MATCH (n:Fact {key: $prefix + id})
RETURN n.id AS id
