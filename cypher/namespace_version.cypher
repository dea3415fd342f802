MATCH (n:Namespace {name: $ns})
RETURN n.version AS version
