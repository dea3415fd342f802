// Auto-commit only (CALL … IN TRANSACTIONS): a namespace of millions of nodes and edges is
// deleted in bounded batches instead of one huge transaction; each label through its ns index.
// Re-running finishes an interrupted drop.
MATCH (n:Job {ns: $ns}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
MATCH (n:UnitScore {ns: $ns}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
MATCH (n:Fact {ns: $ns}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
MATCH (n:Sentence {ns: $ns}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
MATCH (n:Passage {ns: $ns}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
MATCH (n:Entity {ns: $ns}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS;
MATCH (n:Document {ns: $ns}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
MATCH (n:Namespace {name: $ns}) MERGE (r:RetiredNamespace {name: $ns}) SET r.version = n.version DELETE n;
