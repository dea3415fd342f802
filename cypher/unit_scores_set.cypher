UNWIND $rows AS row
MERGE (u:UnitScore {key: row.key})
SET u.ns = $ns, u.kind = $kind, u.unit_id = row.unit_id, u.value = row.value
