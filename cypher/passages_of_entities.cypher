UNWIND $ids AS id
MATCH (:Entity {key: $prefix + id})<-[:MENTIONS]-(p:Passage)
RETURN id AS key, p.id AS passage_id
