// The schema of the neo4j backend; every statement is idempotent (run on each connect).
// Node keys are namespaced: key = "<len(ns)>:<ns>:<id>" (unambiguous whatever the namespace
// holds). Composite node keys are Enterprise-only, so one concatenated property carries the
// uniqueness constraint. Parameter: $dims, the embedding size of the vector indexes.
CREATE CONSTRAINT namespace_name IF NOT EXISTS FOR (n:Namespace) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT retired_namespace_name IF NOT EXISTS FOR (n:RetiredNamespace) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT document_key IF NOT EXISTS FOR (n:Document) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT passage_key IF NOT EXISTS FOR (n:Passage) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (n:Entity) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT fact_key IF NOT EXISTS FOR (n:Fact) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT sentence_key IF NOT EXISTS FOR (n:Sentence) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT unit_score_key IF NOT EXISTS FOR (n:UnitScore) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT job_id IF NOT EXISTS FOR (n:Job) REQUIRE n.id IS UNIQUE;
CREATE INDEX job_ns IF NOT EXISTS FOR (n:Job) ON (n.ns);
CREATE INDEX document_ns IF NOT EXISTS FOR (n:Document) ON (n.ns);
CREATE INDEX passage_ns IF NOT EXISTS FOR (n:Passage) ON (n.ns);
CREATE INDEX entity_ns IF NOT EXISTS FOR (n:Entity) ON (n.ns);
CREATE INDEX fact_ns IF NOT EXISTS FOR (n:Fact) ON (n.ns);
CREATE INDEX sentence_ns IF NOT EXISTS FOR (n:Sentence) ON (n.ns);
CREATE INDEX unit_score_ns_kind IF NOT EXISTS FOR (n:UnitScore) ON (n.ns, n.kind);
CREATE INDEX unit_score_ns_unit IF NOT EXISTS FOR (n:UnitScore) ON (n.ns, n.unit_id);
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE VECTOR INDEX passage_embedding IF NOT EXISTS FOR (n:Passage) ON (n.embedding)
  OPTIONS {indexConfig: {`vector.dimensions`: $dims, `vector.similarity_function`: 'cosine'}};
CREATE VECTOR INDEX entity_embedding IF NOT EXISTS FOR (n:Entity) ON (n.embedding)
  OPTIONS {indexConfig: {`vector.dimensions`: $dims, `vector.similarity_function`: 'cosine'}};
CREATE VECTOR INDEX fact_embedding IF NOT EXISTS FOR (n:Fact) ON (n.embedding)
  OPTIONS {indexConfig: {`vector.dimensions`: $dims, `vector.similarity_function`: 'cosine'}};
