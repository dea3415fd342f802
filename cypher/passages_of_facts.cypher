UNWIND $ids AS id
MATCH (:Fact {key: $prefix + id})<-[:SUPPORTS]-(p:Passage)
RETURN id AS key, p.id AS passage_id
