MATCH (a:Entity {ns: $ns})-[r:ALIAS_OF]->(b:Entity)
RETURN r.passage_id AS passage_id, a.id AS alias_id, b.id AS entity_id
