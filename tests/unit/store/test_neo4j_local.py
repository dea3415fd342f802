"""LocalNeo4j without a server: the Browser URL comes from the launcher's log, a taken HTTP port is
refused before anything is built or started, builds run one at a time, and the launcher's Maven
project is found (package data, then the checkout) and copied where it can be built."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from hippo.errors import UserError
from hippo.store.neo4j_local import LocalNeo4j
from tests.support.ports import free_port


def test_browser_url_is_read_from_the_launcher_log(tmp_path: Path) -> None:
    server = LocalNeo4j(tmp_path, free_port())
    assert server.browser_url() is None  # no log yet
    server.log_file.write_text("READY bolt://127.0.0.1:7687 auth=on\n")
    assert server.browser_url() is None  # started without an HTTP port
    server.log_file.write_text("some log line\nBROWSER http://127.0.0.1:7474/browser/\nREADY bolt://x auth=on\n")
    assert server.browser_url() == "http://127.0.0.1:7474/browser/"


def test_a_taken_http_port_is_refused(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        http_port = taken.getsockname()[1]
        server = LocalNeo4j(tmp_path / "data", free_port())
        with pytest.raises(UserError, match=f"HTTP port {http_port} is already in use"):
            server.start("a-password", http_port=http_port)
    assert not (tmp_path / "data").exists()  # refused before anything was created


@pytest.mark.parametrize("flag, value", [("--http-port", "99999"), ("--port", "0"), ("--port", "bolt")])
def test_a_bad_port_is_a_usage_error_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    from hippo.interfaces.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["neo4j", "start", "--data-dir", str(tmp_path / "data"), flag, value])
    assert stopped.value.code == 2
    assert f"argument {flag}:" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_two_builds_at_once_run_one_after_the_other_and_build_once(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from hippo.store import neo4j_local

    (tmp_path / "pom.xml").write_text("<project/>")
    monkeypatch.setattr(neo4j_local, "launcher_sources", lambda: tmp_path)
    monkeypatch.setattr(neo4j_local, "launcher_project", lambda home="": tmp_path)
    inside, most, builds = 0, 0, []
    guard = threading.Lock()

    def slow_build(src: Path) -> None:
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        time.sleep(0.3)  # long enough for the other thread to arrive while this one builds
        (src / "target" / "lib").mkdir(parents=True)
        (src / "target" / "neo4j-launcher.jar").write_bytes(b"jar")
        builds.append(src)
        with guard:
            inside -= 1

    monkeypatch.setattr(neo4j_local, "_mvn_package", slow_build)
    threads = [threading.Thread(target=neo4j_local.build_launcher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert most == 1 and len(builds) == 1


def test_a_failed_build_is_plain_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from hippo.store import neo4j_local

    def failing(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess([], 1, "\x1b[1;31m[ERROR]\x1b[m Could not resolve dependencies\n", "")

    monkeypatch.setattr(subprocess, "run", failing)
    with pytest.raises(UserError) as err:
        neo4j_local._mvn_package(tmp_path)
    assert str(err.value).endswith("[ERROR] Could not resolve dependencies") and "\x1b" not in str(err.value)


def _fake_sources(folder: Path) -> Path:
    (folder / "src" / "main" / "java").mkdir(parents=True)
    (folder / "pom.xml").write_text("<project/>\n")
    (folder / "src" / "main" / "java" / "Neo4jLauncher.java").write_text("class Neo4jLauncher {}")
    return folder


def test_a_checkout_builds_in_its_own_launcher_folder() -> None:
    from hippo.store import neo4j_local

    assert neo4j_local.launcher_sources() == neo4j_local.CHECKOUT_LAUNCHER  # these tests run from a checkout
    assert neo4j_local.launcher_project() == neo4j_local.CHECKOUT_LAUNCHER
    assert neo4j_local.launcher_project("/tmp/h") == Path("/tmp/h/neo4j-launcher")  # HIPPO_NEO4J_HOME


def test_packaged_sources_are_built_in_a_per_user_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hippo.store import neo4j_local

    packaged = _fake_sources(tmp_path / "site-packages" / "_launcher")
    monkeypatch.setattr(neo4j_local, "PACKAGED_LAUNCHER", packaged)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    builds: list[Path] = []

    def fake_maven(project: Path) -> None:  # what `mvn package` leaves behind, without Maven
        (project / "target" / "lib").mkdir(parents=True)
        (project / "target" / "neo4j-launcher.jar").write_bytes(b"jar")
        builds.append(project)

    monkeypatch.setattr(neo4j_local, "_mvn_package", fake_maven)
    assert neo4j_local.launcher_sources() == packaged  # package data comes before the checkout
    project = tmp_path / "cache" / "hippo" / "neo4j-launcher"
    java = Path("src/main/java/Neo4jLauncher.java")

    assert neo4j_local.build_launcher() == project / "target"
    assert (project / java).read_text() == "class Neo4jLauncher {}" and builds == [project]
    assert not (packaged / "target").exists()  # nothing is built inside the installed package
    neo4j_local.build_launcher()
    assert builds == [project]  # same sources: the earlier build is kept

    (packaged / java).write_text("class Neo4jLauncher { int v2; }")
    (packaged / java.with_name("Extra.java")).write_text("class Extra {}")
    neo4j_local.build_launcher()
    assert builds == [project, project] and (project / java.with_name("Extra.java")).is_file()
    (packaged / java.with_name("Extra.java")).unlink()
    neo4j_local.build_launcher()
    assert not (project / java.with_name("Extra.java")).exists()  # no file of an older version stays
    assert len(builds) == 3


def test_a_missing_launcher_names_both_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hippo.store import neo4j_local

    monkeypatch.setattr(neo4j_local, "PACKAGED_LAUNCHER", tmp_path / "wheel")
    monkeypatch.setattr(neo4j_local, "CHECKOUT_LAUNCHER", tmp_path / "checkout")
    with pytest.raises(UserError) as missing:
        neo4j_local.build_launcher()
    assert str(tmp_path / "wheel") in str(missing.value) and str(tmp_path / "checkout") in str(missing.value)
