// Entities within $hops RELATION hops of the seeds (either direction), for subgraph selection
// in synthesis. $hops is bounded by the caller (1..4); variable-length bounds cannot be
// parameters, so the pattern allows 4 and the WHERE clause cuts.
UNWIND $ids AS id
MATCH (seed:Entity {key: $prefix + id})
MATCH path = (seed)-[:RELATION*0..4]-(other:Entity)
WHERE length(path) <= $hops
RETURN other.id AS id, min(length(path)) AS distance
