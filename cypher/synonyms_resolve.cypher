UNWIND $ids AS id
MATCH (e:Entity {key: $prefix + id})
REMOVE e.synonyms_pending
