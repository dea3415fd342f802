"""The checks every interface runs before work starts: clear messages, the right error class."""

from __future__ import annotations

import pytest

from hippo.config import Settings
from hippo.errors import TooLarge, UserError
from hippo.service import limits
from hippo.types import Document


@pytest.mark.parametrize("ns", ["", "has space", "x" * 65, "slash/ns", "../up", "a..b", "x'y", "tab\t", "line\n"])
def test_bad_namespaces_are_refused_with_the_rule(ns: str) -> None:
    with pytest.raises(UserError, match="a namespace is 1-64 letters or digits"):
        limits.check_namespace(ns)


def test_a_namespace_must_be_nfc() -> None:
    with pytest.raises(UserError, match="NFC"):
        limits.check_namespace("u\u0308mlaut")


@pytest.mark.parametrize("ns", ["a", "docs-2024.v1_x", "x" * 64, "ümlaut", "默认", "القاهرة", "Москва", "v1.2"])
def test_good_namespaces_pass(ns: str) -> None:
    assert limits.check_namespace(ns) == ns


@pytest.mark.parametrize(
    ("text", "top_k", "mode", "message"),
    [
        ("   ", 5, None, "the query is empty"),
        ("q" * (limits.MAX_QUERY_CHARS + 1), 5, None, "the limit is 2000"),
        ("who?", 0, None, "top_k must be between 1 and 100"),
        ("who?", limits.MAX_TOP_K + 1, None, "top_k must be between 1 and 100"),
        ("who?", 5, "bm25", "mode must be one of hipporag2"),
    ],
)
def test_bad_queries_are_refused(text: str, top_k: int, mode: str | None, message: str) -> None:
    with pytest.raises(UserError, match=message):
        limits.check_query(text, top_k, mode)


def test_a_good_query_passes() -> None:
    limits.check_query("who?", limits.MAX_TOP_K, "dense")


def test_documents_over_the_limits_are_too_large_and_duplicates_invalid() -> None:
    settings = Settings(max_document_chars=100, api_max_documents=2)
    with pytest.raises(TooLarge, match="HIPPO_MAX_DOCUMENT_CHARS"):
        limits.check_documents([Document("a", "", "x" * 101)], settings)
    with pytest.raises(TooLarge, match="HIPPO_API_MAX_DOCUMENTS"):
        limits.check_documents([Document(str(i), "", "text") for i in range(3)], settings)
    with pytest.raises(UserError, match="more than once"):
        limits.check_documents([Document("a", "", "one"), Document("a", "", "two")], settings)
    with pytest.raises(UserError, match="empty document"):
        limits.check_documents([Document("a", "", " \n ")], settings)
    limits.check_documents([Document("a", "", "x" * 100), Document("b", "", "fine")], settings)


def test_a_subgraph_needs_exactly_one_centre_and_sane_hops() -> None:
    for entity, passage in ((None, None), ("ent-1", "psg-1"), ("", "")):
        with pytest.raises(UserError, match="exactly one"):
            limits.check_centre(entity, passage)
    assert limits.check_centre("ent-1", None) == "ent-1"
    with pytest.raises(UserError, match="hops must be between 1 and 3"):
        limits.check_hops(limits.MAX_HOPS + 1)
