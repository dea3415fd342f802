import numpy as np

from hippo.answer.entity_kinds import kinds_of
from hippo.text import entity_id
from hippo.types import GraphExport


def _export(facts: list[tuple[str, str, str]]) -> GraphExport:
    names = sorted({n for s, _, o in facts for n in (s, o)})
    ids = [entity_id(n) for n in names]
    return GraphExport(
        version=1, passage_ids=[], passage_emb=np.zeros((0, 4), np.float32),
        entity_ids=ids, entity_names=names, entity_emb=np.zeros((len(ids), 4), np.float32),
        fact_ids=[f"fact-{i}" for i in range(len(facts))],
        fact_subjects=[entity_id(s) for s, _, _ in facts], fact_objects=[entity_id(o) for _, _, o in facts],
        fact_texts=[f"{s} {p} {o}" for s, p, o in facts], fact_emb=np.zeros((len(facts), 4), np.float32),
        fact_support=[], mentions=[], synonyms=[],
    )


def test_kinds_from_copulas_appositions_and_locative_predicates() -> None:
    exp = _export([
        ("Ostravel", "is", "harbour town"),
        ("Maren Tolvik", "is", "novelist"),
        ("Tolvik", "born in", "Lisk"),
        ("capital", "is", "Hask"),
        ("Brannock and Sons", "founded in", "1861"),
        ("Glass Orchard", "novel by", "Maren Tolvik"),
    ])
    row = {eid: i for i, eid in enumerate(exp.entity_ids)}

    def kinds(name: str) -> set[str]:
        r = exp.entity_names.index(name)
        facts = [f for f, (s, o) in enumerate(zip(exp.fact_subjects, exp.fact_objects, strict=True)) if r in (row[s], row[o])]
        return kinds_of(r, facts, exp, row)

    assert kinds("Ostravel") == {"GPE"}
    assert kinds("Maren Tolvik") == {"PERSON"}
    assert kinds("Lisk") == {"GPE"}
    assert kinds("Hask") == {"GPE"}
    assert kinds("Glass Orchard") == {"WORK_OF_ART"}
    assert kinds("1861") == set()  # a year after "in" is no place
    assert kinds("Tolvik") == {"PERSON"}  # "born" says its subject is a person
