// Bump the namespace's version counter (every write transaction ends with this). A dropped
// namespace's versions are not handed out again (snapshots on disk are named by version).
OPTIONAL MATCH (r:RetiredNamespace {name: $ns})
WITH coalesce(r.version, 0) AS retired
MERGE (n:Namespace {name: $ns})
ON CREATE SET n.version = retired
SET n.version = n.version + 1
RETURN n.version AS version
