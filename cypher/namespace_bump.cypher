// Bump the namespace's version counter (every write transaction ends with this).
MERGE (n:Namespace {name: $ns})
ON CREATE SET n.version = 0
SET n.version = n.version + 1
RETURN n.version AS version
