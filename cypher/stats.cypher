CALL () { MATCH (d:Document {ns: $ns}) RETURN count(d) AS documents, coalesce(sum(d.n_failures), 0) AS failed }
CALL () { MATCH (p:Passage {ns: $ns}) RETURN count(p) AS passages }
CALL () { MATCH (e:Entity {ns: $ns}) RETURN count(e) AS entities }
CALL () { MATCH (f:Fact {ns: $ns}) RETURN count(f) AS facts }
CALL () { MATCH (s:Sentence {ns: $ns}) RETURN count(s) AS sentences }
CALL () { MATCH (:Passage {ns: $ns})-[m:MENTIONS]->() RETURN count(m) AS mentions }
CALL () { MATCH (:Entity {ns: $ns})-[s:SYNONYM]->() RETURN count(s) AS synonyms }
RETURN documents, passages, entities, facts, mentions, synonyms, failed, sentences
