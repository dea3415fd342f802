"""Cleaning up the small pipeline's NER spans before they become graph nodes.

The small English model often glues neighbours into one span ("Roaring River, North Carolina",
"1585 to 1603", "Årlifossene, Grønvollfoss, Svelgfoss") and cuts numbered names short ("U.S.
Route" + "119"). Nodes should be the single things a question can name, so ranges and lists are
split into their parts and numbered names are joined.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from hippo.text import alnum_count, entity_key

# NER labels that make weak graph nodes on their own ("first", "second")
SKIPPED_ENTITY_LABELS = frozenset({"ORDINAL"})
# tokens that separate the parts of a glued span
LIST_SEPARATORS = frozenset({",", ";", "(", ")", "/", "[", "]", "|"})
RANGE_SEPARATORS = frozenset({"to", "-", "–", "—", "until", "through", "and"})
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY"})


def is_useful_entity(ent: Span) -> bool:
    """NER spans worth a node: not ordinals, not digit-less dates ("monthly", "today")."""
    if ent.label_ in SKIPPED_ENTITY_LABELS:
        return False
    if ent.label_ in ("DATE", "TIME") and not any(ch.isdigit() for ch in ent.text):
        return False
    return alnum_count(ent.text) > 0


def entity_spans(doc: Doc, keep: str = "") -> list[Span]:
    """The document's useful NER spans, with glued lists/ranges split and numbered names joined.

    ``keep`` is a normalised name (the passage title) never to split: titles may hold commas.
    """
    spans: list[Span] = []
    ents = [e for e in doc.ents if is_useful_entity(e)]
    skip_next = False
    for k, ent in enumerate(ents):
        if skip_next:
            skip_next = False
            continue
        nxt = ents[k + 1] if k + 1 < len(ents) else None
        if nxt is not None and _is_number_suffix(ent, nxt):
            # "U.S. Route" + "119" -> "U.S. Route 119"
            spans.append(Span(doc, ent.start, nxt.end, label=ent.label_))
            skip_next = True
            continue
        if keep and entity_key(ent.text) == keep:
            spans.append(ent)
        else:
            spans.extend(_split(ent))
    return spans


def _is_number_suffix(ent: Span, nxt: Span) -> bool:
    return (
        nxt.start == ent.end
        and len(nxt) == 1
        and nxt.label_ == "CARDINAL"
        and nxt[0].text.isdigit()
        and ent.label_ not in NUMERIC_LABELS
        and ent[-1].pos_ == "PROPN"
    )


def _split(ent: Span) -> list[Span]:
    separators = set(LIST_SEPARATORS)
    if ent.label_ in ("DATE", "TIME"):
        # "October 6, 1913" is one date; ranges and lists of dates are not
        separators = (separators - {","}) | RANGE_SEPARATORS
    cuts = [t.i for t in ent if t.text.lower() in separators]
    if not cuts:
        return [ent]
    parts: list[Span] = []
    start = ent.start
    for cut in [*cuts, ent.end]:
        if cut > start:
            parts.append(Span(ent.doc, start, cut, label=ent.label_))
        start = cut + 1
    parts = [_trim_date(p) if ent.label_ in ("DATE", "TIME") else p for p in parts]
    parts = [p for p in parts if alnum_count(p.text) > 0]
    # "Washington, D.C." is one name: keep spans whose parts are too short to stand alone
    if any(alnum_count(p.text) < 3 for p in parts) and ent.label_ not in ("DATE", "TIME"):
        return [ent]
    return [p for p in parts if is_useful_entity(p)] or [ent]


# words a date range drags into its parts ("between 1829", "from 1990")
DATE_LEAD_WORDS = frozenset({"between", "from", "since", "until", "till", "about", "around", "circa", "c.", "ca."})


def _trim_date(part: Span) -> Span:
    start = part.start
    while start < part.end - 1 and part.doc[start].lower_ in DATE_LEAD_WORDS:
        start += 1
    return Span(part.doc, start, part.end, label=part.label_)


# how article titles name a second thing: "Geography of the United States", "Galicia (Spain)"
_TITLE_LINKS = (" of the ", " in the ", " in ", " (", ", ")


def title_parts(title: str) -> list[str]:
    """Proper names inside a title, as LLM OpenIE lists them beside the title itself."""
    parts: list[str] = []
    for link in _TITLE_LINKS:
        if link in title:
            head, _, tail = title.partition(link)
            tail = tail.rstrip(")").strip()
            for part in ((head.strip(), tail) if link in (" (", ", ") else (tail,)):
                if part and part[0].isupper() and alnum_count(part) >= 3 and part not in parts:
                    parts.append(part)
    return parts
