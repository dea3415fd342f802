MATCH (j:Job {id: $id})
RETURN j.ns AS ns, j.record AS record
