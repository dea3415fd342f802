"""The built wheel works outside the checkout: it is installed into a fresh virtualenv in a temporary
folder and run from there, with no PYTHONPATH, so `import hippo` is the installed package. It
indexes and queries on SQLite and on the test Neo4j (whose statements come from the wheel's
``hippo/store/_cypher/``), and `hippo neo4j start` builds the launcher from the wheel's sources in a
per-user folder, never inside the installed package.

The virtualenv reuses the dependencies already installed for the tests: a .pth file adds this
interpreter's site-packages after the venv's own (only paths; its .pth files, among them the
checkout's editable install, are not run)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Neo4jTarget, neo4j_target_from_env
from tests.support.ports import free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
QUESTION = "In which town was the author of The Glass Orchard born?"
SUPPORTING = {"glass-orchard", "maren-tolvik"}  # hippo/sample/questions.json
# generated or not part of a build: never copied into the build's source folder
NOT_SOURCES = {".git", ".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__", "build", "dist",
               ".neo4j", ".hippo", "test-artifacts", "benchmarks", "tests", "target"}


@dataclass(frozen=True)
class WheelEnv:
    venv: Path
    site_packages: Path
    work: Path  # the current directory of every command: outside the checkout

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """A command of the venv's bin/ (``hippo``, ``python``) in a clean environment."""
        return subprocess.run([str(self.venv / "bin" / args[0]), *args[1:]], cwd=self.work, env={**_clean_env(), **(env or {})},
                              capture_output=True, text=True, timeout=timeout)


def _clean_env() -> dict[str, str]:
    """This environment without what would point Python or Hippo at the checkout or its settings
    (PYTHONPATH would also make pip see the checkout's hippo as installed)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME") and not k.startswith("HIPPO_")}


def _not_sources(folder: str, names: list[str]) -> set[str]:
    return {name for name in names if name in NOT_SOURCES or name.endswith(".egg-info")}


def _quiet(cmd: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, env=_clean_env())
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> WheelEnv:
    root = tmp_path_factory.mktemp("wheel")
    # build from a copy, so the checkout gets no egg-info or build/ folder; sdist first, then the
    # wheel from the sdist, so what MANIFEST.in leaves out is missing from the wheel too
    source = root / "source"
    shutil.copytree(REPO, source, ignore=_not_sources)
    _quiet([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(root / "dist"), str(source)])
    (wheel,) = (root / "dist").glob("hippo-*.whl")

    venv = root / "venv"
    _quiet([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    _quiet([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-deps",
            "--no-index", "--disable-pip-version-check", str(wheel)])
    found = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           capture_output=True, text=True, check=True, env=_clean_env(), cwd=root)
    site_packages = Path(found.stdout.strip())
    # written after the install, so pip never saw the checkout's editable hippo as installed here
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (site_packages / "zz-test-dependencies.pth").write_text("\n".join(ours) + "\n")
    work = root / "work"
    work.mkdir()
    return WheelEnv(venv=venv, site_packages=site_packages, work=work)


def test_the_installed_wheel_is_what_runs(wheel_env: WheelEnv) -> None:
    done = wheel_env.run("python", "-c", "import hippo, hippo.store.cypher as c, hippo.store.neo4j_local as n; "
                         "print(hippo.__file__); print(c.cypher_dir()); print(n.launcher_sources())")
    assert done.returncode == 0, done.stderr
    package, statements, launcher = (Path(line) for line in done.stdout.split())
    assert package == wheel_env.site_packages / "hippo" / "__init__.py"
    assert statements == wheel_env.site_packages / "hippo" / "store" / "_cypher"
    assert sorted(p.name for p in statements.glob("*.cypher")) == sorted(p.name for p in (REPO / "cypher").glob("*.cypher"))
    assert launcher == wheel_env.site_packages / "hippo" / "store" / "_launcher"
    assert (launcher / "pom.xml").read_bytes() == (REPO / "docker" / "neo4j-launcher" / "pom.xml").read_bytes()


@dataclass(frozen=True)
class PrivateServer:
    """A Neo4j only this module starts: its own data directory, Bolt port and launcher folder."""

    data: Path
    port: int
    env: dict[str, str]

    @property
    def args(self) -> list[str]:
        return ["--data-dir", str(self.data), "--port", str(self.port)]


@dataclass(frozen=True)
class Flows:
    """What a user does with the wheel, each a list of finished `hippo` commands. They run at once:
    each is mostly a model load or a JVM start, so together they take little more than the longest."""

    sqlite: Future[list[subprocess.CompletedProcess[str]]]
    neo4j: Future[list[subprocess.CompletedProcess[str]]] | None
    server: Future[list[subprocess.CompletedProcess[str]]] | None


def _index_and_query(wheel_env: WheelEnv, store: str, namespace: str,
                     env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    corpus = wheel_env.site_packages / "hippo" / "sample" / "corpus.jsonl"
    where = ["--store", store, "--namespace", namespace]
    indexed = wheel_env.run("hippo", "index", str(corpus), *where, env=env)
    if indexed.returncode != 0:
        return [indexed]
    return [indexed, wheel_env.run("hippo", "query", QUESTION, *where, "--top-k", "5", "--json", env=env)]


def _start(wheel_env: WheelEnv, server: PrivateServer) -> list[subprocess.CompletedProcess[str]]:
    started = wheel_env.run("hippo", "neo4j", "start", *server.args, "--heap", "512m", "--page-cache", "64m",
                            env=server.env)
    return [started, wheel_env.run("hippo", "neo4j", "status", *server.args, env=server.env)]


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory) -> PrivateServer:
    root = tmp_path_factory.mktemp("private-neo4j")
    env = {"HIPPO_NEO4J_PASSWORD": "wheel-test-password", "HIPPO_NEO4J_HOME": str(root / "home")}
    return PrivateServer(data=root / "data", port=free_port(), env=env)


@pytest.fixture(scope="module")
def flows(wheel_env: WheelEnv, private_server: PrivateServer) -> Iterator[Flows]:
    # the Neo4j flows run where Neo4j tests are expected (HIPPO_TEST_NEO4J_URI, Java + Maven)
    target = neo4j_target_from_env()
    namespace = f"wheel-{uuid.uuid4().hex[:12]}"
    with ThreadPoolExecutor(max_workers=3) as pool:
        sqlite = pool.submit(_index_and_query, wheel_env, "sqlite:///sqlite/hippo.db", "wheel", {})
        neo4j = server = None
        if target is not None:
            env = {"HIPPO_NEO4J_USER": target.user, "HIPPO_NEO4J_PASSWORD": target.password}
            neo4j = pool.submit(_index_and_query, wheel_env, target.uri, namespace, env)
            server = pool.submit(_start, wheel_env, private_server)
        try:
            yield Flows(sqlite=sqlite, neo4j=neo4j, server=server)
        finally:
            wait([f for f in (sqlite, neo4j, server) if f is not None])
            if server is not None:
                wheel_env.run("hippo", "neo4j", "stop", *private_server.args, env=private_server.env)
            if target is not None:
                from hippo.store.neo4j import Neo4jStore

                store = Neo4jStore(target.uri, target.user, target.password)
                try:
                    store.drop_namespace(namespace)
                finally:
                    store.close()


def _succeeded(commands: list[subprocess.CompletedProcess[str]]) -> list[str]:
    """Each command's stdout, after checking that all ran and exited 0."""
    for done in commands:
        assert done.returncode == 0, f"{' '.join(map(str, done.args[1:]))} failed:\n{done.stderr[-3000:]}"
    return [done.stdout for done in commands]


def _assert_indexed_and_found(commands: list[subprocess.CompletedProcess[str]]) -> None:
    indexed, answer = _succeeded(commands)
    assert "indexed 16 new" in indexed
    hits = [hit["doc_id"] for hit in json.loads(answer)["hits"]]
    assert SUPPORTING <= set(hits), hits


def test_index_and_query_on_sqlite(wheel_env: WheelEnv, flows: Flows) -> None:
    _assert_indexed_and_found(flows.sqlite.result())
    assert (wheel_env.work / "sqlite" / "hippo.db").is_file()


def test_index_and_query_on_neo4j(neo4j_target: Neo4jTarget, flows: Flows) -> None:
    assert flows.neo4j is not None
    _assert_indexed_and_found(flows.neo4j.result())


def test_neo4j_start_builds_the_packaged_launcher_outside_the_package(
    wheel_env: WheelEnv, neo4j_target: Neo4jTarget, flows: Flows, private_server: PrivateServer
) -> None:
    assert flows.server is not None
    started, status = _succeeded(flows.server.result())
    uri = f"bolt://127.0.0.1:{private_server.port}"
    assert started.splitlines()[-1] == uri  # the URI is the last line, as scripts read it
    assert status.splitlines()[-1] == uri

    packaged = wheel_env.site_packages / "hippo" / "store" / "_launcher"
    built = Path(private_server.env["HIPPO_NEO4J_HOME"]) / "neo4j-launcher"
    java = Path("src/main/java/hippo/launcher/Neo4jLauncher.java")
    assert (built / java).read_bytes() == (packaged / java).read_bytes()
    assert (built / "target" / "neo4j-launcher.jar").is_file()
    assert not (packaged / "target").exists()  # nothing is built inside the installed package
