"""API keys: parsing HIPPO_API_KEYS, namespace scopes, and the loopback-only rule without keys."""

from __future__ import annotations

import pytest

from hippo.errors import UserError
from hippo.interfaces.api.auth import ApiKey, check_bind, is_loopback, parse_api_keys


def test_parse_keys_with_and_without_scopes() -> None:
    keys = parse_api_keys(" admin , reader:docs|notes ,, ")
    assert keys == [ApiKey("admin", None), ApiKey("reader", frozenset({"docs", "notes"}))]
    assert keys[0].allows("anything") and keys[1].allows("docs") and not keys[1].allows("other")
    assert parse_api_keys("") == []


@pytest.mark.parametrize("raw", [":docs", "key:", "key:|", "a, :x"])
def test_malformed_keys_are_refused_with_the_format(raw: str) -> None:
    with pytest.raises(UserError, match="KEY"):
        parse_api_keys(raw)


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
    assert check_bind("0.0.0.0", parse_api_keys("k"), allow_unauthenticated=False) is None


def test_hippo_serve_refuses_an_open_address_without_keys(tmp_path: object, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from hippo.interfaces.cli.main import main

    monkeypatch.delenv("HIPPO_API_KEYS", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--store", f"sqlite:///{tmp_path}/x.db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hippo: error: no API keys are configured") and "--allow-unauthenticated" in err
