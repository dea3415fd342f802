// An API job's record (JSON text), replacing the one saved before; store-wide, keyed by job id.
MERGE (j:Job {id: $id})
SET j.ns = $ns, j.record = $record
