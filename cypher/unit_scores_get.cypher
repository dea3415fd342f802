MATCH (u:UnitScore {ns: $ns, kind: $kind})
RETURN u.unit_id AS unit_id, u.value AS value
