"""What an offline (template) pair must satisfy before it is emitted: its answer is a named
entity, a date or a number copied from the source sentence (not a generic head noun such as
"town", not a name a pronoun stood for), the entity the question names is one too, the predicate
is stated in that sentence, and the question neither contains its answer nor falls back to a
placeholder ("the entity that …"). Each function returns a rejection reason or None; the reasons
are what the run summary counts."""

from __future__ import annotations

import re
from dataclasses import replace

from hippo.kinds import HEAD_NOUNS, MONTHS, NUMBER_WORDS, guess_kind, name_kind
from hippo.synth.generation.phrasing import STATE_PARTICIPLES, Predicate, parse_predicate
from hippo.synth.units import FactUnit
from hippo.text import normalize_phrase

ARTICLES = {"the", "a", "an"}
_CONNECTORS = ARTICLES | {"of", "and", "de", "von", "van", "la", "le", "du", "der", "del", "da", "&"}
PRONOUNS = {
    "he", "she", "it", "they", "him", "her", "them", "his", "hers", "its", "their", "theirs", "this", "that",
    "these", "those", "who", "which", "i", "we", "you", "one",
}
# what the plain templates write when a predicate has no natural question form
PLACEHOLDERS = ("fill in the blank", "which entity completes", "who or what", "which entity", "the entity that",
                "the thing that", "the entity who")
_TOKEN = re.compile(r"\S+")
# an article with no noun after it: "What is the in Manhattan?", "What is X a from?"
_HOLLOW = re.compile(r"\b(?:the|a|an)\s+(?:in|on|at|of|to|by|from|near|for|with|into|as|\?)(?:\s|\?|$)|\b(?:the|a|an)\?",
                     re.IGNORECASE)
_MID_SENTENCE = re.compile(r"[a-z0-9,;:]\s+$")
_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|``\s*([^`\']+?)\s*\'\'')
_PARENTHESES = re.compile(r"\([^)]*\)")
# words before a predicate's first word that make it a noun or an adjective, not a verb
# ("the countries in", "an unincorporated community in") or a verb, not a noun ("would record for")
_DETERMINERS = {"a", "an", "the", "its", "his", "her", "their", "this", "that", "these", "those", "our", "my", "your"}
_VERB_MARKERS = {"to", "would", "will", "can", "could", "may", "might", "should", "must", "shall", "did", "does", "do"}
# a nominal predicate that picks out one subject ("the father of", "the capital of", "the tallest
# waterfall in"); "the ghost town in", "the tributary of" have many, and so do "the son of", "the daughter of"
_UNIQUE_ROLES = {
    "father", "mother", "wife", "husband", "widow", "capital", "founder", "author", "seat",
    "mouth", "source", "headquarters", "birthplace", "creator", "inventor", "mayor", "president", "chairman",
}
_SUPERLATIVES = ("est", "first", "last", "only")
_PREPOSITIONS = {"in", "at", "on", "of", "by", "to", "into", "for", "from", "with", "about", "as", "near", "through",
                 "during", "under", "over", "after", "before", "across", "along", "against", "between", "among"}
AUX_WORDS = {"is", "was", "are", "were", "has", "had", "have", "been", "be"}
_BE_HAVE = {"is", "was", "are", "were", "be", "been", "being", "has", "have", "had"}
# capitalised words that open a sentence, not a given name ("In Japan", "However Cool")
_SENTENCE_OPENERS = {"in", "on", "at", "by", "for", "from", "with", "after", "before", "during", "since", "the", "a", "an",
                     "however", "when", "while", "although", "though", "as", "if", "his", "her", "their", "its", "this",
                     "that", "these", "those", "both", "and", "but", "or", "under", "between", "former", "late", "saint"}
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}


def unbalanced_quotes(sentence: str) -> bool:
    """A sentence cut inside a quotation ('… from the album "U.S.A.'): the splitter took a
    title's full stop for the sentence's end."""
    return sentence.count('"') % 2 == 1 or sentence.count("“") != sentence.count("”")


# what ends a sentence the splitter cut at an abbreviation's or an initial's full stop ("President
# Lyndon B.", "between the U.S.", "at Stuart C.", "in the spring of 1913 (n.", "… of St.")
_ABBREVIATION_END = re.compile(
    r"(?:(?<![\w'’])[A-HJ-Z]\.|(?<![\w'’])(?:[A-Za-z]\.){2,}|(?<![\w'’])(?:St|Mt|Ft|Dr|Mr|Mrs|Ms|Jr|Sr|Gen|Gov|Sen|Rep|Col|Capt|Lt|"
    r"Sgt|Rev|Prof|Hon|Rt|No|Nos|vs|ca|c|n|b|d|fl|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|Vol|pp|p|op|Ave|Blvd|Rd)\.)\s*$")


def cut_sentence(sentence: str, context: str = "") -> bool:
    """A sentence the splitter cut (``hippo.text`` ends one at every ". "): it ends in an
    abbreviation or an initial ("… to President Lyndon B."), its parentheses do not pair ("(n."),
    it opens lower-case or with a verb (its subject was cut off: "is a crime novel by …"), or
    ``context`` (the passages) writes it right after such a stop ("Louis, Missouri moved …" after
    "St.")."""
    text = sentence.strip()
    if not text or _ABBREVIATION_END.search(text) or text.count("(") != text.count(")") or text.endswith(":"):
        return True  # ":" at the end: a list follows in the next "sentence"
    first = _clean(text.split()[0])
    if first[:1].islower() or first.lower() in _BE_HAVE:
        return True
    at = context.find(text)
    return at > 0 and _ABBREVIATION_END.search(context[max(0, at - 12) : at]) is not None


def hollow(text: str) -> bool:
    """An article with no noun after it ("the near Stangenrod", "What is the in Manhattan?")."""
    return _HOLLOW.search(text) is not None


def _clean(token: str) -> str:
    return token.strip(",;:()\"“”'‘’.!?")


def _capitalised(token: str) -> bool:
    word = _clean(token)
    return bool(word) and word[0].isupper()


def _occurrences(sentence: str, name: str) -> list[tuple[int, int]]:
    # the graph may keep a name in canonical lower case ("ostravel"): the sentence's spelling counts
    pattern = re.compile(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w-])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(sentence)]


def written_as(name: str, sentence: str) -> str:
    """The name as the sentence spells it (the name itself when the sentence lacks it)."""
    found = _occurrences(sentence, name.strip())
    return sentence[found[0][0] : found[0][1]] if found else name


def _partial(sentence: str, start: int, end: int) -> bool:
    """Is this occurrence part of a longer name ("Daughter" of "The Orchard Keeper's Daughter")?"""
    before = sentence[:start]
    after = sentence[end:]
    prev = _TOKEN.findall(before)
    nxt = _TOKEN.findall(after)
    if prev and not before.endswith((", ", "; ", ": ", "(", "\"", "“")):
        word = prev[-1]
        if _capitalised(word) and _clean(word).lower() not in ARTICLES and not word.endswith((",", ";", ":", ".")):
            return True
        # "Sons" of "Brannock and Sons"
        if word.lower() in _CONNECTORS - ARTICLES and len(prev) > 1 and _capitalised(prev[-2]) and not prev[-2].endswith(","):
            return True
    dashes = ("-", "--", "–", "—")
    if len(nxt) > 1 and nxt[0] in dashes and _capitalised(nxt[1]):
        return True  # "East" of "East -- West Schism"
    if len(prev) > 1 and prev[-1] in dashes and _capitalised(prev[-2]):
        return True  # "Hungary" of "Austria - Hungary"
    if nxt and not after.startswith((",", ";", ":", ".", ")", "'s", "’s")):
        word = nxt[0]
        if _capitalised(word) and _clean(word).lower() not in _CONNECTORS:
            return True
        if word.lower() in _CONNECTORS - ARTICLES and len(nxt) > 1 and _capitalised(nxt[1]) and _clean(nxt[1]).lower() not in ARTICLES:
            return True
    return False


def is_date_or_number(text: str) -> bool:
    return name_kind(text) in ("date", "number")


def literal_quantity(text: str) -> bool:
    """A date or number written as one (a digit, a number word, a month), not a phrase the kind
    guesser calls a date by its head noun ("following year")."""
    words = {w.strip(",.") for w in text.lower().split()}
    return any(ch.isdigit() for ch in text) or bool(words & (NUMBER_WORDS | MONTHS))


def _in_longer_title(sentence: str, start: int, end: int, titles: tuple[str, ...]) -> bool:
    """Is this occurrence inside a longer quoted title or passage title the sentence writes
    ("Love" of "Will to Love", "Alexander" of "Alexander and the Terrible, …, Very Bad Day")?"""
    spans = [(m.start(), m.end(), (m.group(1) or m.group(2) or m.group(3)).strip(" ,.!?")) for m in _QUOTED.finditer(sentence)]
    for title in titles:
        spans.extend((s, e, title) for s, e in _occurrences(sentence, title.strip()))
    name = sentence[start:end]
    return any(s <= start and end <= e and normalize_phrase(inner) != normalize_phrase(name) for s, e, inner in spans)


def _whole_title(sentence: str, name: str, titles: tuple[str, ...]) -> bool:
    """A quoted title or a passage title may hold lower-case words ("Will to Love")."""
    key = normalize_phrase(name)
    quoted = {normalize_phrase((m.group(1) or m.group(2) or m.group(3)).strip(" ,.!?")) for m in _QUOTED.finditer(sentence)}
    return key in quoted or key in {normalize_phrase(t) for t in titles}


def _after_title_article(sentence: str, start: int) -> bool:
    """A capitalised "The" mid-sentence before the name belongs to it ("The Good" of "…, The Good,
    the Bad and the Ugly")."""
    prev = _TOKEN.findall(sentence[:start])
    return len(prev) > 1 and prev[-1] == "The" and not prev[-2].endswith((".", "!", "?", ":"))


def name_problem(name: str, sentence: str, context: str = "", titles: tuple[str, ...] = ()) -> str | None:
    """None when ``name`` is a named entity, date or number written as such in ``sentence``;
    else why not: pronoun, not_in_sentence, generic (a common noun), partial_name. ``context``
    (the passages) may show that a sentence-initial word is a name elsewhere too; ``titles``
    (the passages' titles) are names a shorter one may be cut from."""
    text = name.strip()
    if not text:
        return "empty"
    if normalize_phrase(text) in PRONOUNS:
        return "pronoun"
    found = _occurrences(sentence, text)
    if not found:
        return "not_in_sentence"
    if is_date_or_number(text) and literal_quantity(text):
        return None if _plain_quantity(text) else "generic"
    # a name is written capitalised: "viewed adolescence" does not name "Adolescence"
    found = [(s, e) for s, e in found if sentence[s].isupper() or sentence[s].isdigit()]
    if not found:
        return "generic"
    text = sentence[found[0][0] : found[0][1]]
    words = text.split()
    content = [w for w in words if _clean(w).lower() not in _CONNECTORS]
    # "town of Cardre", "author of Winter Orchard": a description headed by a common noun; a
    # lower-case word inside says the same ("Soviet 1975 comedy", "The Good Place where Eleanor")
    if not content or not _capitalised(content[0]) or (
            any(_clean(w)[:1].islower() for w in content) and not _whole_title(sentence, text, titles)):
        return "generic"
    cut = [_partial(sentence, s, e) or _in_longer_title(sentence, s, e, titles) or _after_title_article(sentence, s)
           for s, e in found]
    if any(cut):
        # all cut from longer names; or once whole and once inside a title ("Chuck Berry on Stage is
        # an album by Chuck Berry"): which one the fact meant is a guess
        return "partial_name"
    # a head noun alone is a back-reference, not a name ("the Journal", "the Treaty", "Church")
    if len(content) == 1 and _clean(content[0]).lower() in HEAD_NOUNS:
        return "generic"
    # a capital letter proves a name unless it only opens the sentence ("Salmon fishing …")
    multiword = sum(1 for w in content if _capitalised(w)) >= 2 or (len(words) > 1 and _capitalised(words[-1]))
    if multiword:
        return None
    if surname_of(text, "\n".join((sentence, context, *titles))):
        return "surname"  # "Cool" where the passage says "Kenton Cool": which Cool?
    if any(s > 0 for s, _ in found):
        return None
    # the name written mid-sentence elsewhere, and there whole, not inside a longer one
    elsewhere = [s for s, e in _occurrences(context, text) if context.startswith(text, s) and _MID_SENTENCE.search(context[:s])
                 and not _partial(context, s, e)]
    return None if elsewhere else "generic"


_NAME_WORD = re.compile(r"^[A-Z][a-z'’-]+$")
_NAME_PARTICLES = {"de", "da", "do", "dos", "das", "van", "von", "der", "den", "del", "della", "di", "du", "la", "le", "bin", "ibn"}


def names_by_surname(sentence: str, context: str = "", titles: tuple[str, ...] = ()) -> bool:
    """Does a sentence shown whole (a cloze or a claim) name a person by a surname the passages
    give in full elsewhere ("Snide is a graduate of …" for Corey Snide, "Five singles by Joplin …")?"""
    text = "\n".join((context, *titles))
    for m in re.finditer(r"(?<![\w'’.-])([A-Z][a-z'’-]+)(?:'s|’s)?(?![\w-])", sentence):
        word = m.group(1)
        prev = _TOKEN.findall(sentence[: m.start()])
        if prev and (_capitalised(prev[-1]) and not prev[-1].endswith((",", ".", ";", ":"))):
            continue  # part of a longer name in this sentence
        if re.match(r"\s+[A-Z]", sentence[m.end():]):
            continue
        longer = _longer_names(word, text)
        if longer and not any(n in sentence for n in longer):
            return True
    return False


def surname_of(word: str, text: str) -> bool:
    """Does ``text`` (the passages and titles) write the one-word name ``word`` as the last word of
    a person's longer name ("Kenton Cool", "Edson Arantes do Nascimento", "G. Stanley Hall")? Then
    the word alone is a surname, and a question that names someone by it is not uniquely answerable."""
    return bool(_longer_names(word, text))


def full_name(word: str, text: str) -> str | None:
    """The one person's longer name ``text`` gives for the surname ``word`` ("Kenton Cool" for
    "Cool"), or None when it gives none or several ("Johann Strauss", "Richard Strauss")."""
    names = _longer_names(word, text)
    return names.pop() if len(names) == 1 else None


def _longer_names(word: str, text: str) -> set[str]:
    out: set[str] = set()
    for start, end in _occurrences(text, word):
        if not text.startswith(word, start) or re.match(r"\s+[A-Z]", text[end:]):
            continue  # written otherwise, or not the last word of the longer name
        line_start = text.rfind("\n", 0, start) + 1
        tokens = list(re.finditer(r"\S+", text[max(line_start, start - 80) : start]))
        first = None  # where the longer name begins (an offset into that window)
        names: list[str] = []
        for tok in reversed(tokens):
            w = tok.group(0)
            if w.lower() in _NAME_PARTICLES:
                continue
            if _NAME_WORD.match(w) or re.match(r"^[A-Z]\.$", w):
                first = tok.start()
                if _NAME_WORD.match(w):
                    names.insert(0, w)
                continue
            break
        if first is None or not names or names[0].lower() in _SENTENCE_OPENERS:
            continue
        if guess_kind(" ".join([*names[-2:], word]), None) == "person":
            out.add(text[max(line_start, start - 80) + first : end])
    return out


def _plain_quantity(text: str) -> bool:
    """A date, a year or a count with its plural unit ("thirty years"), not "1980 novel"."""
    words = text.split()
    if re.search(r"\.\d{4,}", text):
        return False  # a coordinate ("35.8821078"), not a figure anyone asks for
    if name_kind(text) == "date" or len(words) == 1:
        return True
    return len(words) <= 3 and words[-1].islower() and words[-1].endswith("s")


def predicate_problem(predicate: str, sentence: str) -> str | None:
    """The predicate's words, articles aside, appear together in the sentence ("kept for" is not
    stated by "kept the lighthouse for thirty years": the triple dropped what was kept)."""
    def strip(text: str) -> str:
        return " ".join(w for w in normalize_phrase(text).split() if w not in ARTICLES)

    words = strip(predicate)
    if not words:
        return None
    return None if f" {words} " in f" {strip(sentence)} " else "predicate_not_in_sentence"


def question_problem(question: str, answer: str, hidden: tuple[str, ...] = (), template: bool = True) -> str | None:
    """The question names no answer and none of ``hidden`` (a multi-hop question's bridge) and,
    when a template wrote it, is not a placeholder form."""
    q = f" {normalize_phrase(question)} "
    if template and (any(f" {p} " in q for p in PLACEHOLDERS) or hollow(question)):
        return "ill_formed_question"
    key = normalize_phrase(answer)
    if key and f" {key} " in q:
        return "answer_in_question"
    for name in hidden:
        n = normalize_phrase(name)
        if n and f" {n} " in q:
            return "names_bridge"
    return None


def fact_problem(fact: FactUnit, answer: str, known: str, context: str = "", titles: tuple[str, ...] = (),
                 asked_as: str = "") -> str | None:
    """A one-fact pair stands when both ends are names written in the fact's sentence and the
    sentence states the predicate; ``answer`` is the end asked for, ``known`` the one named. A
    surname ("Cool") is no name to ask with, unless the question ``asked_as`` names the person by
    the one full name the passages give ("Kenton Cool": see ``named_in_full``)."""
    if not fact.sentence:
        return "no_source_sentence"
    if unbalanced_quotes(fact.sentence) or cut_sentence(fact.sentence, context):
        return "truncated_sentence"
    if not_prose(fact.sentence):
        return "not_prose"
    answer, known = written_as(answer, fact.sentence), written_as(known, fact.sentence)
    reason = name_problem(answer, fact.sentence, context, titles)
    if reason:
        return f"answer_{reason}"
    reason = name_problem(known, fact.sentence, context, titles)
    if reason == "surname" and asked_as:
        longer = full_name(known, "\n".join((fact.sentence, context, *titles)))
        if longer and _occurrences(asked_as, longer):
            reason = None
    if reason:
        return f"question_entity_{reason}"
    return predicate_problem(fact.predicate, fact.sentence)


def named_in_full(fact: FactUnit, context: str = "", titles: tuple[str, ...] = (), people: frozenset[str] = frozenset()) -> FactUnit:
    """The fact with a one-word end of a person (an id in ``people``) that the passages give in
    full written so ("Cool" -> "Kenton Cool"): what a question names; the checks read the fact as
    written."""
    text = "\n".join((fact.sentence, context, *titles))

    def longer(name: str, end_id: str) -> str:
        if (end_id in people and len(name.split()) == 1 and fact.sentence
                and name_problem(name, fact.sentence, context, titles) == "surname"):
            return full_name(name, text) or name
        return name

    return replace(fact, subject=longer(fact.subject, fact.subject_id), object=longer(fact.object, fact.object_id))


def question_shape_problem(fact: FactUnit, answer: str) -> str | None:
    """What the predicate's shape says about a one-fact question: a copula's object is a class
    ("What is FM?" -> "Canadian radio station"), a date or number asked about has many subjects
    ("Who was established in 2014?") and so do most predicates asked from their object (see
    ``_one_subject``); the sentence must agree with the predicate's shape, and a participle's
    subject must be the name it follows."""

    asks_object = normalize_phrase(answer) == normalize_phrase(fact.object)
    pred = parse_predicate(fact.predicate)
    if asks_object and pred is not None and pred.form == "copula":
        return "class_answer"
    if not asks_object and is_date_or_number(fact.object):
        return "ambiguous_question"
    if pred is None:
        return None
    form = _form_problem(fact, pred)
    if form:
        return form
    if not asks_object and not _one_subject(pred):
        return "ambiguous_question"
    if asks_object and pred.form == "nominal" and not _relational(pred):
        # "What is Hopetoun Falls a waterfall across?", "What is Route 55 the east of?": riddles
        return "ill_formed_question"
    if pred.form != "nominal" and len(pred.rest) >= 2 and pred.last == "of":
        # "How many metres does Lake Edward lie at an elevation of?", "… targeted at the city of?"
        return "ill_formed_question"
    known = fact.subject if asks_object else fact.object
    if name_kind(known) == "number" or (not asks_object and name_kind(answer) == "number"):
        return "ambiguous_question"  # "When did 365 inhabitants live?", "What lived in Skeppshult?"
    if not_prose(fact.sentence):
        return "not_prose"
    if listed(fact.sentence, answer) or _range_end(fact.sentence, answer):
        return "ambiguous_question"
    return _attachment_problem(fact, pred)


# verbs of a role held in turn or by many at once: "Who managed Manchester United?", "Who led the
# Catamounts?", "Who played for KIF Kolding?" have one answer per season
_SUCCESSIVE = {"manage", "coach", "lead", "captain", "chair", "head", "govern", "rule", "host", "present", "play",
               "join", "sign", "represent", "serve", "command", "attend", "visit", "win", "compete", "race", "perform",
               "star", "reside", "live", "remain", "stay", "work", "study", "teach"}


def _one_subject(pred: Predicate) -> bool:
    """Does asking the subject of this predicate have one answer? An active verb's ("Who wrote
    …?") does; a passive's or an agent's has many ("Who was born in Mysen?", "What was published
    by Wiley-Blackwell?"), a class noun's too ("What is the ghost town in Morton County?"),
    unless the noun is a unique role or a superlative ("the son of", "the tallest waterfall in")."""
    if pred.form in ("past", "present"):
        return pred.base not in _SUCCESSIVE
    if pred.form != "nominal" or not pred.rest:
        return False
    if pred.rest[0].endswith(_SUPERLATIVES):
        return True
    return pred.last == "of" and len(pred.rest) >= 2 and pred.rest[-2] in _UNIQUE_ROLES


def _relational(pred: Predicate) -> bool:
    """A nominal predicate that asks its object well: "the branch of", not "a waterfall across"."""
    return (pred.last == "of" and len(pred.rest) >= 2 and pred.rest[-2] not in _DIRECTIONS
            and not any(w.endswith("ing") for w in pred.rest))  # "a consisting of" is a verb


def _predicate_at(pred: Predicate, sentence: str) -> re.Match[str] | None:
    """Where the sentence states the predicate: the whole phrase, else its first word."""
    first = pred.verb or (pred.rest[0] if pred.rest else "")
    for text in (" ".join(pred.words[1:] if pred.words[0] in AUX_WORDS else pred.words), first):
        if text:
            found = re.search(r"(?<![\w'’-])" + re.escape(text) + r"(?![\w'’-])", sentence, re.IGNORECASE)
            if found:
                return found
    return None


def _form_problem(fact: FactUnit, pred: Predicate) -> str | None:
    """The sentence contradicts the predicate's shape: its verb follows an article (an adjective
    or a noun: "an unincorporated community in", "the countries in"), or its noun follows "to"
    or a modal (a verb: "would record for", "to apply to")."""
    at = _predicate_at(pred, fact.sentence)
    if at is None:
        return None
    before = _TOKEN.findall(fact.sentence[: at.start()])
    prev = _clean(before[-1]).lower() if before else ""
    if prev in PRONOUNS - {"that", "this", "one"}:
        return "pronoun_subject"  # "which he performed": the triple guessed whom "he" meant
    if pred.form == "passive" and pred.words[0] not in AUX_WORDS and before and before[-1] == fact.subject.split()[-1]:
        return "predicate_voice"  # "Alberto Fujimori resigned in 2001" is active, not "was resigned"
    if any(w[:1].isupper() for w in at.group(0).split()) and at.start() > 0:
        return "ill_formed_question"  # the question would lower-case "British charter airline"
    if pred.form in ("past", "present") and not pred.aux and prev in _DETERMINERS:
        return "predicate_not_a_verb"
    if pred.form == "passive" and pred.rest == ("by",) and pred.verb in STATE_PARTICIPLES:
        return "ill_formed_question"  # "known by the stage name Eldee" names a name, not an agent
    if pred.form == "past" and fact.sentence[: at.start()].endswith("("):
        return "predicate_voice"  # "Kassel (spelled Cassel …)", "(abbreviated T&T)": a participle in an aside
    subj = _occurrences(fact.sentence[: at.start()], fact.subject)
    if pred.form in ("past", "present") and subj:
        ahead = _TOKEN.findall(fact.sentence[: subj[-1][0]])
        if ahead and (re.fullmatch(r"\d{1,3}", ahead[-1]) or _clean(ahead[-1]).lower() in NUMBER_WORDS):
            return "predicate_not_a_verb"  # "three Indy Lights starts in 1993": a noun after a count (not "In 1990 …")
    if pred.form in ("past", "present") and prev in _BE_HAVE:
        return "predicate_voice"  # "Keiko was named …", "MTV has got …": the triple dropped its auxiliary
    if pred.form == "passive" and pred.words[0] not in AUX_WORDS and prev in ("has", "have", "had"):
        return "predicate_voice"  # "the United States had dropped on Japan" is active
    if pred.form == "nominal" and prev in _VERB_MARKERS:
        return "predicate_not_a_noun"
    return None


def _attachment_problem(fact: FactUnit, pred: Predicate) -> str | None:
    """A clause after a comma may describe any name before it: in "… in Prince George, British
    Columbia, owned by Vista Radio" the station is owned, not the town; a name in parentheses is
    an aside. Such a fact's subject is a guess, so no question is built on it."""
    sentence = fact.sentence
    subj = _occurrences(sentence, fact.subject)
    verb = _predicate_at(pred, sentence)
    # a name in parentheses is an aside ('Aschenbrödel ("Cinderella") is a ballet written by …'),
    # unless the predicate is in them too ("(also known as Bambarakele Falls)")
    in_aside = verb is not None and _parenthesised(sentence, verb.start())
    for end in (fact.subject, fact.object):
        found = _occurrences(sentence, end)
        if found and not in_aside and all(_parenthesised(sentence, s) for s, _ in found):
            return "ambiguous_attachment"
    if not subj or verb is None:
        return None
    # the object of a preposition ("the privatisation of British Rail, listed on …") or the tail
    # of a place ("Perm Krai, Russia, a right bank tributary of …") is not the clause's subject
    if all(_governed(sentence, s) for s, _ in subj):
        return "ambiguous_attachment"
    if re.search(r"(?:^|\s)as\s+(?:\w+ly\s+)?$", sentence[: verb.start()]):
        return "ambiguous_attachment"  # "as outlined in …": no subject at all
    # a participle clause: a passive predicate, or a past form right after a comma ("…, also called")
    participle = pred.form in ("passive", "agentive") or (
        pred.form == "past" and re.search(r",\s*(?:\w+ly\s+|also\s+|now\s+|later\s+)?$", sentence[: verb.start()]) is not None)
    if not participle or pred.words[0] in ("is", "was", "are", "were", "has", "had", "have"):
        return None
    before = [e for s, e in subj if e <= verb.start() and not _parenthesised(sentence, s)]
    if not before:
        return "ambiguous_attachment"
    gap = _PARENTHESES.sub("", sentence[before[-1] : verb.start()])
    if "," in gap and any(_capitalised(w) for w in _TOKEN.findall(gap)):
        return "ambiguous_attachment"
    return None


# the item after "and"/"or" in a list: a name or a number, perhaps after a few words that are no
# verb ("and investment banker Clifford Roberts", not "and moved to Paris")
_AND_ITEM = re.compile(r"\s*(?:,\s*)?(?:and|or|&)\s+(?:(?![a-z]+(?:ed|ing)\b)[a-z]+\s+){0,2}[\"“'‘`A-Z0-9]|\s*(?:,\s*)?etc\b")
_LIST_ITEM = re.compile(r"\s*,\s*(?:(?!\s(?:and|or)\s)[^,.;:()]){1,60}")


def listed(sentence: str, answer: str) -> bool:
    """The answer is one item of a list the sentence gives ("Snow also occurred in 1999, 2009 and
    2015", "founded by Bobby Jones and investment banker Clifford Roberts", a cast list "starring A,
    B, C and D"): a question or a blank on it has several answers. An item is listed when "and"
    or "or" is right before it, or when the items after it (", B, C") end in "and"/"or"/"etc"; a
    place's tail ("Richmond, Virginia") has no "and" and is not a list."""
    for start, end in _occurrences(sentence, answer):
        before = re.search(r"(?:\band|\bor|&)\s+((?:[a-z]+\s+){0,2})[\"“'‘`]*$", sentence[:start])
        if before and not any(w in _PREPOSITIONS or w.endswith(("ed", "ing")) for w in before.group(1).split()):
            return True
        after = sentence[end:]
        for _ in range(20):
            after = after.lstrip("\"”'’`")
            if _AND_ITEM.match(after):
                return True
            item = _LIST_ITEM.match(after)
            if item is None:
                break
            after = after[item.end():]
            if re.match(r"\s*,\s*and\s+(?!(?:is|was|are|were|has|had|have)\b)(?![a-z]+ed\b)", after):
                return True  # "A, B, and a founding member of C": an Oxford comma ends a list
        if is_date_or_number(answer) and re.match(r"\s*,\s*\d", sentence[end:]):
            return True
    return False


def _range_end(sentence: str, answer: str) -> bool:
    """A date or number that opens or closes a range ("aired from 1999 to 2005", "between 1917
    and 1924"): a question on one end drops the other."""
    if not is_date_or_number(answer):
        return False
    return any(re.match(r"\s*(?:to|until|till|–|—|-{1,2})\s*\d", sentence[e:]) or re.search(r"\b(?:to|until|–|—|-)\s*$", sentence[:s])
               for s, e in _occurrences(sentence, answer))


def _governed(sentence: str, at: int) -> bool:
    prev = [_clean(w) for w in _TOKEN.findall(sentence[:at])]
    while prev and prev[-1].lower() in ARTICLES:
        prev.pop()
    if not prev:
        return False
    # "… of European tour operator TUI Travel PLC, based in …": a preposition opens the phrase
    raw = _TOKEN.findall(sentence[:at])[: len(prev)]
    for word, token in zip(reversed(prev[-4:]), reversed(raw[-4:]), strict=False):
        if token.endswith((",", ";", ":", ".")):
            break
        if word.lower() in _PREPOSITIONS:
            return True
    # "Perm Krai, Russia": a capitalised word and a comma before (not a sentence's "However, …")
    return prev[-1].lower() in _PREPOSITIONS or (len(prev) > 1 and bool(re.search(r"[A-Z][\w.-]*,\s+(?:the\s+)?$", sentence[:at])))


def _parenthesised(sentence: str, at: int) -> bool:
    return sentence[:at].count("(") > sentence[:at].count(")")


def not_prose(sentence: str) -> bool:
    """A table row flattened into text ("Western Province 34 Four shared 2017 Northern …"): most
    words capitalised or numbers, so its "facts" join cells, not a subject and its verb."""
    words = [_clean(w) for w in _TOKEN.findall(sentence)]
    words = [w for w in words if w]
    if words and words[0][0].islower():
        return True  # a fragment ("is a crime novel by …": its subject was cut off)
    marked = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return len(words) >= 12 and marked > 0.6 * len(words)


# two or three capitalised words in any script ("Stanisław Sroczycki", "Charlie Day"), and the
# question shapes that ask for a person's name: an agent ("What directed …?") or a relative
_PERSON_SHAPE = re.compile(r"^[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)?(?:\s+[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)?){1,2}$")
_ASKS_A_PERSON = re.compile(r"^What (?:\w+ed|wrote|led|won|sang|drew|made|built|founded)\s|\b(?:daughter|son|wife|husband|father|"
                            r"mother|brother|sister|widow|child|grandfather|grandmother)\s+of\?", re.IGNORECASE)


def question_word_problem(question: str, key: str, sentence: str) -> str | None:
    """"Who" asks for a person; a name the sentence quotes is a title ("Who did Sally Green
    submit?" -> "Half Bad"); a name shaped like a person's is not asked with "What"."""
    if question.lower().startswith("what ") and key and (guess_kind(key, None) == "person" or (
            _PERSON_SHAPE.match(key) and _ASKS_A_PERSON.search(question))):
        return "wrong_question_word"  # "What directed El Tonto?" -> Charlie Day: a person's name asked with "What"
    if not question.lower().startswith("who ") or not key:
        return None
    quoted = {normalize_phrase(m.group(1) or m.group(2) or m.group(3)) for m in _QUOTED.finditer(sentence)}
    return "wrong_question_word" if normalize_phrase(key) in quoted else None


def other_end(fact: FactUnit, answer: str) -> str:
    return fact.subject if answer == fact.object else fact.object


def as_written(fact: FactUnit) -> FactUnit:
    """The fact with both ends spelled as its sentence spells them, so a question and its answer
    key copy the source text."""
    if not fact.sentence:
        return fact
    return replace(fact, subject=written_as(fact.subject, fact.sentence), object=written_as(fact.object, fact.sentence),
                   predicate=predicate_as_written(fact.predicate, fact.sentence))


def predicate_as_written(predicate: str, sentence: str) -> str:
    """The predicate with the articles the triple dropped put back and the sentence's capitals
    ("established store in" -> "established a store in", "british charter airline of" ->
    "British charter airline of"); the predicate itself when the sentence lacks it."""
    words = [w for w in predicate.split() if w.lower() not in ARTICLES]
    if not words:
        return predicate
    gap = r"\s+(?:(?:the|a|an)\s+)?"
    found = re.search(r"(?<![\w'’-])" + gap.join(re.escape(w) for w in words) + r"(?![\w'’-])", sentence, re.IGNORECASE)
    return found.group(0) if found else predicate


def object_after_predicate(fact: FactUnit) -> bool:
    """The sentence writes the fact's object right after its predicate ("was ceded to the United
    Kingdom"), not further on ("the county seat of Ford County, Kansas, United States" does not
    make Dodge City a county seat of the United States; "located in central New Hampshire in the
    United States" does not say where in the United States alone)."""
    if not fact.sentence:
        return False
    pred = predicate_as_written(fact.predicate, fact.sentence)
    obj = written_as(fact.object, fact.sentence)
    pattern = r"(?<![\w'’-])" + re.escape(pred) + r"\s+(?:(?:the|a|an)\s+)?" + re.escape(obj) + r"(?![\w-])"
    return re.search(pattern, fact.sentence, re.IGNORECASE) is not None


def whole_occurrence(sentence: str, name: str) -> tuple[int, int] | None:
    """The first place the sentence writes ``name`` as a whole name (not inside a longer one)."""
    for start, end in _occurrences(sentence, name):
        if not _partial(sentence, start, end):
            return start, end
    return None
