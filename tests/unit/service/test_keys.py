"""API keys: reading HIPPO_API_KEYS_FILE and HIPPO_API_KEYS, namespace scopes, and the
loopback-only rule without keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hippo.config import Settings
from hippo.errors import UserError
from hippo.service.keys import (
    MIN_KEY_CHARS,
    ApiKey,
    check_bind,
    describe_keys,
    is_loopback,
    load_api_keys,
    parse_api_keys,
    parse_api_keys_file,
)

ADMIN = "admin-0123456789abcdef"
READER = "reader-0123456789abcdef"


def test_a_keys_file_reads_each_line_whole_with_an_optional_scope(tmp_path: Path) -> None:
    # ',' ':' '=' and '|' are part of a secret here, never separators
    tricky = "token=with,comma:and|pipe"
    path = tmp_path / "keys"
    path.write_text(f"# comment\n\n{ADMIN}\n  {READER}   namespaces=docs,notes\n{tricky}\n", encoding="utf-8")
    keys, source = load_api_keys(Settings(api_keys_file=str(path)))
    assert keys == [ApiKey(ADMIN, None), ApiKey(READER, frozenset({"docs", "notes"})), ApiKey(tricky, None)]
    assert keys[0].allows("anything") and keys[1].allows("docs") and not keys[1].allows("other")
    line = describe_keys(keys, source)
    assert line == f"hippo: 3 API keys read from HIPPO_API_KEYS_FILE ({path}): 2 for every namespace, 1 for docs|notes"
    assert ADMIN not in line and READER not in line and tricky not in line and tricky not in repr(keys)


def test_json_keys_in_the_variable_or_the_file(tmp_path: Path) -> None:
    raw = json.dumps([ADMIN, {"key": "sk-abc:def123-long-enough", "namespaces": ["默认", "docs"]}])
    keys = parse_api_keys(raw)
    assert keys == [ApiKey(ADMIN, None), ApiKey("sk-abc:def123-long-enough", frozenset({"默认", "docs"}))]
    assert parse_api_keys_file(raw, "file") == keys
    assert parse_api_keys(ADMIN) == [ApiKey(ADMIN, None)]  # one plain key still works
    assert parse_api_keys("") == []


@pytest.mark.parametrize("raw", ["token=with,comma-0123456789", "sk-abc:def123-0123456789", "a-0123456789abcdef b-0123456789abcdef"])
def test_the_old_list_format_is_refused_rather_than_splitting_a_secret(raw: str) -> None:
    with pytest.raises(UserError, match="HIPPO_API_KEYS_FILE") as err:
        parse_api_keys(raw)
    assert raw not in str(err.value)


@pytest.mark.parametrize("raw", ["short", json.dumps(["x" * (MIN_KEY_CHARS - 1)]),
                                 json.dumps([{"key": "y" * (MIN_KEY_CHARS - 1), "namespaces": ["a"]}])])
def test_short_keys_are_refused_with_the_minimum(raw: str) -> None:
    with pytest.raises(UserError, match=f"at least {MIN_KEY_CHARS}"):
        parse_api_keys(raw)


@pytest.mark.parametrize("text, reason", [
    (f"{ADMIN} namespaces=", "non-empty list"),
    (f"{ADMIN} namespaces=../x", "not valid"),
    (f"{ADMIN} extra words", "expected 'KEY' or 'KEY namespaces=ns1,ns2'"),
    (f"{ADMIN}\n{ADMIN}", "same key twice"),
    ("# only a comment\n", "holds no keys"),
    ('[{"key": 5}]', "missing or not a string"),
    ('[{"secret": "x"}]', "unknown fields"),
    ('{"key": "x"}', "must be a JSON list"),
    ("[" * 10_000, "not valid JSON"),
])
def test_malformed_key_files_are_refused_with_the_line(text: str, reason: str) -> None:
    with pytest.raises(UserError, match="keys-file") as err:
        parse_api_keys_file(text, "keys-file")
    assert reason in str(err.value)
    assert "words" not in str(err.value)  # the rest of a line is never echoed (it may be a secret)


def test_file_and_variable_together_or_a_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not both"):
        load_api_keys(Settings(api_keys=ADMIN, api_keys_file=str(tmp_path / "keys")))
    with pytest.raises(UserError, match="cannot be read"):
        load_api_keys(Settings(api_keys_file=str(tmp_path / "missing")))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.4", "::", "example.org"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_without_keys_only_loopback_unless_explicitly_allowed() -> None:
    assert "local use only" in (check_bind("127.0.0.1", [], allow_unauthenticated=False) or "")
    with pytest.raises(UserError, match="--allow-unauthenticated"):
        check_bind("0.0.0.0", [], allow_unauthenticated=False)
    assert "OPEN TO ANYONE" in (check_bind("0.0.0.0", [], allow_unauthenticated=True) or "")
    assert check_bind("0.0.0.0", parse_api_keys(ADMIN), allow_unauthenticated=False) is None


def test_hippo_serve_refuses_an_open_address_without_keys(tmp_path: object, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from hippo.interfaces.cli.main import main

    monkeypatch.delenv("HIPPO_API_KEYS", raising=False)
    monkeypatch.delenv("HIPPO_API_KEYS_FILE", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--store", f"sqlite:///{tmp_path}/x.db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hippo: error: no API keys are configured") and "--allow-unauthenticated" in err


def test_hippo_serve_refuses_a_short_key_before_serving(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from hippo.interfaces.cli.main import main

    monkeypatch.setenv("HIPPO_API_KEYS", "tooshort")
    monkeypatch.delenv("HIPPO_API_KEYS_FILE", raising=False)
    assert main(["serve", "--store", f"sqlite:///{tmp_path}/x.db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hippo: error: HIPPO_API_KEYS: the key has 8 characters") and "tooshort" not in err
