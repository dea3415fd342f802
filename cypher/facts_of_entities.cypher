// The facts around a set of entities: the one-hop subgraph synthesis and explanations read.
UNWIND $ids AS id
MATCH (:Entity {key: $prefix + id})<-[:SUBJECT|OBJECT]-(f:Fact)
RETURN DISTINCT f.id AS id, f.subject_id AS subject_id, f.predicate AS predicate, f.object_id AS object_id,
       f.text AS text
