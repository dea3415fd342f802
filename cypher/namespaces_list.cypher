MATCH (n:Namespace) RETURN n.name AS ns
UNION
MATCH (d:Document) RETURN DISTINCT d.ns AS ns
