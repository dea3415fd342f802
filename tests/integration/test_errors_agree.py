"""Every HippoError reads the same in every interface: the CLI's one line and exit code, the
API's status, detail and kind over real HTTP, and the MCP tool error — all from the class's own
declaration in hippo.errors. The test walks the hierarchy, so a new error class is covered (and
must be listed in EXPECTED_STATUS) the day it is added."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from mcp.server.mcpserver.exceptions import ToolError

from hippo import errors
from hippo.errors import HippoError, LLMJSONError, NamespaceBusy
from hippo.interfaces.api.errors import install
from hippo.interfaces.cli.main import EXIT_ERROR, run
from hippo.interfaces.mcp import tool_call
from tests.support.live_server import LiveServer

# the statuses the API promises; a change here is a change of the public contract
EXPECTED_STATUS = {
    "HippoError": 500, "UserError": 422, "ConfigError": 422, "TooLarge": 413, "NotFound": 404,
    "Forbidden": 403, "Unavailable": 503, "NamespaceBusy": 503, "StoreError": 503,
    "CypherFileMissing": 503, "LLMError": 503, "LLMUnavailable": 503, "LLMJSONError": 503,
    "LLMNotConfigured": 422,
}


def _hierarchy(cls: type[HippoError]) -> Iterator[type[HippoError]]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _hierarchy(sub)


CLASSES = {cls.__name__: cls for cls in _hierarchy(HippoError) if cls.__module__ == errors.__name__}


def _instance(cls: type[HippoError]) -> HippoError:
    if cls is NamespaceBusy:
        return NamespaceBusy("docs")
    if cls is LLMJSONError:
        return LLMJSONError("no JSON object", "Sure! Here is   the\nanswer")
    return cls(f"something about {cls.__name__} went wrong")


def _app() -> FastAPI:
    app = FastAPI()
    install(app)

    @app.get("/raise/{name}")
    def raise_it(name: str) -> None:
        raise _instance(CLASSES[name]) if name in CLASSES else KeyError("secret internals")

    return app


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with LiveServer(_app()) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_every_error_class_is_declared() -> None:
    assert set(CLASSES) == set(EXPECTED_STATUS)
    assert len({cls.kind for cls in CLASSES.values()}) >= 9  # kinds tell the families apart


@pytest.mark.parametrize("name", sorted(EXPECTED_STATUS))
def test_cli_api_and_mcp_agree(name: str, api: httpx.Client, capsys: pytest.CaptureFixture[str]) -> None:
    exc = _instance(CLASSES[name])
    line = errors.describe(exc)
    assert line and "\n" not in line and "Traceback" not in line

    def fail() -> int:
        raise exc

    assert run(fail) == EXIT_ERROR
    assert capsys.readouterr().err == f"hippo: error: {line}\n"

    response = api.get(f"/raise/{name}")
    assert response.status_code == EXPECTED_STATUS[name] == type(exc).status
    assert response.json() == {"detail": line, "kind": type(exc).kind}
    assert ("retry-after" in response.headers) == (response.status_code == 503)

    with pytest.raises(ToolError) as tool:
        tool_call(fail)
    assert str(tool.value) == line


def test_a_bug_is_internal_everywhere_without_its_message(api: httpx.Client) -> None:
    response = api.get("/raise/not-a-hippo-error")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error (KeyError); see the server log", "kind": "internal"}

    def fail() -> None:
        raise KeyError("secret internals")

    with pytest.raises(ToolError) as tool:
        tool_call(fail)
    assert str(tool.value) == response.json()["detail"] and "secret" not in str(tool.value)
    with pytest.raises(KeyError):  # the CLI keeps a bug's traceback for the report
        run(fail)


def test_prefixes_name_the_failing_part() -> None:
    assert errors.describe(CLASSES["StoreError"]("Neo4j at bolt://x is unreachable")) == (
        "store unavailable: Neo4j at bolt://x is unreachable")
    assert errors.describe(LLMJSONError("no JSON object", "a\n b")).startswith("LLM reply not usable: no JSON object")
    assert errors.describe(CLASSES["LLMError"]("HTTP 500")) == "LLM unavailable: HTTP 500"
    assert errors.describe(NamespaceBusy("docs")) == "namespace docs is busy with a writing job; try again shortly"
