// This database's identity for snapshots on disk: made once, read on every connect, so a
// snapshot written for one database is never opened for a recreated one at the same address.
MERGE (s:HippoStore {name: 'instance'})
ON CREATE SET s.id = $id
RETURN s.id AS id
