// Auto-commit only (CALL … IN TRANSACTIONS): a namespace of millions of nodes is deleted in
// bounded batches instead of one huge transaction. Re-running finishes an interrupted drop.
MATCH (n)
WHERE (n:Document OR n:Passage OR n:Entity OR n:Fact OR n:UnitScore) AND n.ns = $ns
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
MATCH (n:Namespace {name: $ns}) DELETE n;
