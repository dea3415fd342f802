UNWIND $rows AS row
MERGE (d:Document {key: $prefix + row.id})
SET d.ns = $ns, d.id = row.id, d.title = row.title, d.content_hash = row.content_hash,
    d.metadata = row.metadata, d.failures = row.failures, d.n_failures = row.n_failures
