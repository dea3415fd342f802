"""The offline spaCy extractor on hand-written sentences with known triples.

The pipeline loads once per module (``load_spacy`` is cached); each case is one short passage.
"""

from __future__ import annotations

import pytest

from hippo.errors import UserError
from hippo.index.extract.spacy_extractor import SpacyExtractor, load_spacy, query_entities
from hippo.text import normalize_phrase
from hippo.types import Extraction, Passage, Triple

PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "who", "which", "that"}


@pytest.fixture(scope="module")
def extractor() -> SpacyExtractor:
    return SpacyExtractor()


def run(extractor: SpacyExtractor, text: str, title: str = "") -> Extraction:
    [result] = extractor.extract([Passage(id="p1", doc_id="d1", title=title, text=text)])
    assert result.error is None
    return result


def keys(result: Extraction) -> set[tuple[str, str, str]]:
    return {(normalize_phrase(t.subject), t.predicate, normalize_phrase(t.object)) for t in result.triples}


def has(result: Extraction, subject: str, predicate: str, obj: str) -> bool:
    return (normalize_phrase(subject), predicate, normalize_phrase(obj)) in keys(result)


# (title, text, triples that must be present) — one row per pattern the extractor claims to read
CASES = [
    # subject–verb–object with a prepositional attachment
    ("Apple Inc.", "Steve Jobs founded Apple in 1976.", [("Steve Jobs", "founded", "Apple"), ("Steve Jobs", "founded in", "1976")]),
    # copula with a role noun and its 'of' complement
    ("Paris", "Paris is the capital of France.", [("Paris", "capital of", "France")]),
    # copula "X is a Y"
    ("Lionel Messi", "Lionel Messi is an Argentine footballer.", [("Lionel Messi", "is", "Argentine footballer")]),
    # apposition "X, the Y of Z,"
    (
        "Jan Solovej",
        "Jan Solovej, the editor of the Journal of Mathematical Physics, lives in Copenhagen.",
        [("Jan Solovej", "editor of", "Journal of Mathematical Physics"), ("Jan Solovej", "lives in", "Copenhagen")],
    ),
    # passive participle with prepositions: auxiliaries dropped, participle kept
    ("Albert Einstein", "Albert Einstein was born in Ulm in 1879.", [("Albert Einstein", "born in", "Ulm"), ("Albert Einstein", "born in", "1879")]),
    # relative clause with a relative-pronoun subject
    ("Bill Gates", "Bill Gates, who founded Microsoft, was born in Seattle.", [("Bill Gates", "founded", "Microsoft"), ("Bill Gates", "born in", "Seattle")]),
    # passive with agent and coordinated agents, kept in passive voice
    ("Microsoft", "Microsoft was founded by Bill Gates and Paul Allen.", [("Microsoft", "founded by", "Bill Gates"), ("Microsoft", "founded by", "Paul Allen")]),
    # coordinated subjects
    ("Apple Inc.", "Steve Jobs and Steve Wozniak founded Apple.", [("Steve Jobs", "founded", "Apple"), ("Steve Wozniak", "founded", "Apple")]),
    # coordinated objects
    ("Henry Ford", "Henry Ford founded Ford Motor Company and Lincoln.", [("Henry Ford", "founded", "Ford Motor Company"), ("Henry Ford", "founded", "Lincoln")]),
    # possessive role with an apposed name
    ("Kirk Douglas", "Kirk Douglas's son Michael Douglas is an actor.", [("Michael Douglas", "son of", "Kirk Douglas"), ("Michael Douglas", "is", "actor")]),
    # pronoun subject resolved to the title
    ("Marie Curie", "Marie Curie was a physicist. She won the Nobel Prize in Physics in 1903.", [("Marie Curie", "won", "Nobel Prize in Physics")]),
    # reduced relative clause on a copula attribute: the film *is* the subject
    ("Titanic", "Titanic is a 1997 film directed by James Cameron.", [("Titanic", "directed by", "James Cameron")]),
    # intransitive verb with coordinated prepositional objects
    ("Amazon River", "The Amazon River flows through Brazil and Peru.", [("Amazon River", "flows through", "Brazil"), ("Amazon River", "flows through", "Peru")]),
    # possessive compound "X's CEO Y"
    ("Tim Cook", "Apple's CEO Tim Cook visited Berlin.", [("Tim Cook", "ceo of", "Apple"), ("Tim Cook", "visited", "Berlin")]),
    # passive relative clause
    ("Google", "Google, which was founded by Larry Page, is based in Mountain View.", [("Google", "founded by", "Larry Page"), ("Google", "based in", "Mountain View")]),
    # coordinated verbs sharing one subject
    ("Mozart", "Mozart was born in Salzburg and died in Vienna.", [("Mozart", "born in", "Salzburg"), ("Mozart", "died in", "Vienna")]),
    # back reference "the journal" resolved to the title; role subject of a copula
    (
        "Journal of Small Business Management",
        "The Journal of Small Business Management is an academic journal. The journal was first published in 1963. "
        "The editor is George Solomon.",
        [
            ("Journal of Small Business Management", "published in", "1963"),
            ("George Solomon", "editor of", "Journal of Small Business Management"),
        ],
    ),
    # a place and the region it lies in
    ("Harvard University", "Harvard University is a private university in Cambridge, Massachusetts.", [("Harvard University", "private university in", "Cambridge"), ("Cambridge", "located in", "Massachusetts")]),
    # pronoun after a second person: the title still wins when it fits the pronoun
    ("Pierre Curie", "Pierre Curie married Marie Curie in 1895. He died in Paris.", [("Pierre Curie", "married", "Marie Curie"), ("Pierre Curie", "died in", "Paris")]),
    # neuter pronoun for a non-person title
    ("Inception", "Inception is a science fiction film. It stars Leonardo DiCaprio.", [("Inception", "stars", "Leonardo DiCaprio")]),
    # a person and an organisation side by side: affiliation
    ("Journal of Psychotherapy Integration", "The editor-in-chief is Jennifer Callahan (University of North Texas).", [("Jennifer Callahan", "affiliated with", "University of North Texas"), ("Jennifer Callahan", "editor of", "Journal of Psychotherapy Integration")]),
    # a quantity head hands the slot to its 'of' complement
    ("The Times", "The Times is one of the oldest newspapers in Britain. It was founded by John Walter.", [("The Times", "is", "oldest newspapers"), ("The Times", "founded by", "John Walter")]),
    # a later section of an article: "the city" is the title's subject
    ("Raleigh, North Carolina", "The city received 20 inches of snow in January 2000.", [("Raleigh, North Carolina", "received in", "January 2000")]),
    # a surname alone is the full name mentioned earlier
    ("Adolescence", "G. Stanley Hall published a book. Hall was the first president of the American Psychological Association.", [("G. Stanley Hall", "first president of", "American Psychological Association")]),
    # adjective complement with a preposition
    ("Lake Tahoe", "Lake Tahoe is famous for its clear water and is located in the Sierra Nevada.", [("Lake Tahoe", "located in", "Sierra Nevada")]),
]


@pytest.mark.parametrize("title,text,expected", CASES, ids=[c[1][:40] for c in CASES])
def test_known_triples_are_extracted(extractor: SpacyExtractor, title: str, text: str, expected: list) -> None:
    result = run(extractor, text, title)
    for subject, predicate, obj in expected:
        assert has(result, subject, predicate, obj), f"missing ({subject}, {predicate}, {obj}) in {keys(result)}"


def test_no_pronoun_entities_or_arguments(extractor: SpacyExtractor) -> None:
    result = run(
        extractor,
        "Marie Curie was a physicist. She won the Nobel Prize. It was her second prize, and they honoured her.",
        "Marie Curie",
    )
    for entity in result.entities:
        assert normalize_phrase(entity) not in PRONOUNS
    for t in result.triples:
        assert normalize_phrase(t.subject) not in PRONOUNS
        assert normalize_phrase(t.object) not in PRONOUNS


def test_no_empty_predicates_no_self_loops_no_bare_numbers(extractor: SpacyExtractor) -> None:
    text = (
        "The band released 12 albums between 1990 and 2004. Smith, the singer, left the band in 1999. "
        "The band is the band. It sold 10 million records."
    )
    result = run(extractor, text, "The Smiths")
    assert result.triples
    for t in result.triples:
        assert normalize_phrase(t.predicate)
        assert normalize_phrase(t.subject) != normalize_phrase(t.object)
        assert t.predicate == t.predicate.lower()
    for entity in result.entities:
        norm = normalize_phrase(entity)
        assert norm and norm not in {"the", "a", "of"}
    # numbers survive only where NER calls them dates/cardinals; "12" alone is not a node
    assert "12" not in {normalize_phrase(e) for e in result.entities}


def test_entities_include_title_ner_and_noun_phrases(extractor: SpacyExtractor) -> None:
    result = run(
        extractor,
        "The Journal of Mathematical Physics is a peer-reviewed journal published by the American Institute of "
        "Physics. The current editor is Jan Philip Solovej from the University of Copenhagen.",
        "Journal of Mathematical Physics",
    )
    norms = [normalize_phrase(e) for e in result.entities]
    assert norms[0] == "journal of mathematical physics"  # the title comes first
    for expected in ("american institute of physics", "jan philip solovej", "university of copenhagen", "peer reviewed journal"):
        assert expected in norms
    assert len(norms) == len(set(norms))  # deduplicated by normalised form
    assert not any(n.startswith("the ") for n in norms)  # determiners stripped
    assert has(result, "Journal of Mathematical Physics", "published by", "American Institute of Physics")
    assert has(result, "Jan Philip Solovej", "current editor of", "Journal of Mathematical Physics")


def test_date_ranges_are_split_into_dates(extractor: SpacyExtractor) -> None:
    result = run(extractor, "Hans Meyer was the mayor of Bonn from 1585 to 1603.", "Hans Meyer")
    norms = {normalize_phrase(e) for e in result.entities}
    assert {"1585", "1603"} <= norms


def test_one_extraction_per_passage_in_order_with_progress(extractor: SpacyExtractor) -> None:
    passages = [
        Passage(id=f"p{i}", doc_id="d", title=f"Title {i}", text=f"Person {i} was born in Berlin.") for i in range(5)
    ]
    passages.insert(2, Passage(id="empty", doc_id="d", title="", text=""))
    calls: list[tuple[str, int, int]] = []
    small_batches = SpacyExtractor(batch_size=2)
    results = small_batches.extract(passages, progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert [r.passage_id for r in results] == [p.id for p in passages]
    assert all(r.error is None for r in results)
    assert results[2].triples == [] and results[2].entities == []
    assert calls[0] == ("extract", 0, 6) and calls[-1] == ("extract", 6, 6)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


def test_a_passage_that_breaks_the_pipeline_fails_alone(extractor: SpacyExtractor) -> None:
    limit = extractor.nlp.max_length
    passages = [
        Passage(id="ok1", doc_id="d", title="Mozart", text="Mozart was born in Salzburg."),
        Passage(id="huge", doc_id="d", title="Big", text="word " * (limit // 5 + 10)),
        Passage(id="ok2", doc_id="d", title="Mozart", text="Mozart died in Vienna."),
    ]
    results = extractor.extract(passages)
    assert [r.passage_id for r in results] == ["ok1", "huge", "ok2"]
    assert results[1].error and not results[1].triples
    assert results[0].error is None and Triple("Mozart", "born in", "Salzburg") in results[0].triples
    assert results[2].error is None and Triple("Mozart", "died in", "Vienna") in results[2].triples


def test_query_entities_names_and_key_noun_phrases() -> None:
    found = [normalize_phrase(e) for e in query_entities("Who founded the company that published the Journal of Mathematical Physics?")]
    assert "journal of mathematical physics" in found
    assert "company" in found
    assert not {"who", "that", "the"} & set(found)
    assert [normalize_phrase(e) for e in query_entities("Where was Mozart born?")] == ["mozart"]


def test_query_entities_reuses_the_cached_pipeline() -> None:
    assert load_spacy("") is load_spacy("")
    assert query_entities("When did Mozart die?", nlp=load_spacy("")) == ["Mozart"]


def test_unknown_model_is_a_user_error() -> None:
    with pytest.raises(UserError, match="cannot load the spaCy pipeline"):
        SpacyExtractor(model="no_such_pipeline_xyz")


def test_dates_with_commas_stay_whole_and_title_parts_are_entities(extractor: SpacyExtractor) -> None:
    result = run(extractor, "The storm hit the coast on October 6, 1913.", "Geography of the United States")
    norms = {normalize_phrase(e) for e in result.entities}
    assert "october 6 1913" in norms
    assert "united states" in norms  # named inside the title
    assert "geography of the united states" in norms
