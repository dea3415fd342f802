UNWIND $ids AS id
MATCH (e:Entity {key: $prefix + id})
RETURN e.id AS id, e.name AS name
