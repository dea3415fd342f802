"""Control of the local Neo4j Community server (docker/neo4j-launcher) from Python: start it in
the background, wait until Bolt answers, stop it, report its state.

Same files as ``docker/neo4j-local.sh`` (pid file ``neo4j.pid``, log ``launcher.log``, URI in
``uri``, all inside the data directory), so either tool can stop what the other started.

The launcher's Maven project comes from the wheel's package data (``hippo/store/_launcher/``, put
there by setup.py) or, in a source checkout, from ``docker/neo4j-launcher``. It is built where it
can be written: the checkout's folder itself, or a per-user copy (see :func:`launcher_project`).
"""

from __future__ import annotations

import fcntl
import filecmp
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hippo.errors import UserError

LAUNCHER_CLASS = "hippo.launcher.Neo4jLauncher"
DEFAULT_PORT = 7687
DEFAULT_HEAP = "1g"
DEFAULT_PAGE_CACHE = "256m"


PACKAGED_LAUNCHER = Path(__file__).resolve().parent / "_launcher"
CHECKOUT_LAUNCHER = Path(__file__).resolve().parents[2] / "docker" / "neo4j-launcher"


def launcher_sources() -> Path:
    """The launcher's Maven project: the wheel's package data first, then the source checkout."""
    for folder in (PACKAGED_LAUNCHER, CHECKOUT_LAUNCHER):
        if (folder / "pom.xml").is_file():
            return folder
    raise UserError(
        f"the Neo4j launcher is missing: neither {PACKAGED_LAUNCHER}/pom.xml (a built wheel) nor "
        f"{CHECKOUT_LAUNCHER}/pom.xml (a source checkout) exists; reinstall Hippo, or run Neo4j with "
        "Docker (docker/docker-compose.yml in the Hippo repository)"
    )


def default_launcher_home() -> Path:
    """~/.cache/hippo (or $XDG_CACHE_HOME/hippo): where an installed Hippo builds its launcher."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "hippo"


def launcher_project(home: str | Path = "") -> Path:
    """The folder `mvn package` runs in: ``HOME/neo4j-launcher`` for ``home`` (HIPPO_NEO4J_HOME)
    when given; else the checkout's docker/neo4j-launcher when it is writable (docker/neo4j-local.sh
    builds there too); else ~/.cache/hippo/neo4j-launcher — never the installed package's folder."""
    sources = launcher_sources()
    if home:
        return Path(home).expanduser() / "neo4j-launcher"
    if sources == CHECKOUT_LAUNCHER and os.access(sources, os.W_OK):
        return sources
    return default_launcher_home() / "neo4j-launcher"


def _copy_sources(sources: Path, project: Path) -> None:
    """Make ``project`` hold the sources' pom.xml and src/. When they differ from what it holds (a
    new Hippo version) the copy and its build are replaced, so no file of an older version is
    compiled in; when they are the same, the earlier build is kept."""
    if _same_sources(sources, project):
        return
    try:
        for stale in (project / "pom.xml", project / "src", project / "target"):
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink(missing_ok=True)
        project.mkdir(parents=True, exist_ok=True)
        shutil.copytree(sources / "src", project / "src")
        shutil.copyfile(sources / "pom.xml", project / "pom.xml")
    except OSError as exc:
        raise UserError(
            f"cannot copy the Neo4j launcher to {project} ({exc}); set HIPPO_NEO4J_HOME to a writable folder"
        ) from exc


def _project_files(folder: Path) -> dict[Path, Path]:
    """pom.xml and every file under src/, by path relative to ``folder``."""
    files = [folder / "pom.xml", *(p for p in (folder / "src").rglob("*") if p.is_file())]
    return {p.relative_to(folder): p for p in files if p.is_file()}


def _same_sources(sources: Path, project: Path) -> bool:
    wanted, present = _project_files(sources), _project_files(project)
    return wanted.keys() == present.keys() and all(
        filecmp.cmp(wanted[name], present[name], shallow=False) for name in wanted
    )


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created if missing) until the block ends, waiting
    for another process that holds it. Two starts at once on a fresh machine otherwise both build
    the launcher into one folder and both start a server on one data directory."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class LocalNeo4j:
    data_dir: Path
    port: int = DEFAULT_PORT
    launcher_home: str = ""  # Settings.neo4j_home: where the launcher is built (see launcher_project)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "launcher.log"

    @property
    def uri_file(self) -> Path:
        return self.data_dir / "uri"

    # --- state -------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The running launcher's pid, or None. A pid file whose process is gone or is not our
        launcher (pids get reused) counts as not running."""
        try:
            pid = int(self.pid_file.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if LAUNCHER_CLASS.encode() in cmdline else None

    def port_open(self) -> bool:
        return _port_open(self.port)

    def browser_url(self) -> str | None:
        """Neo4j Browser's URL when the running server was started with an HTTP port."""
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()
        except OSError:
            return None
        urls = [line.removeprefix("BROWSER ").strip() for line in lines if line.startswith("BROWSER ")]
        return urls[-1] if urls else None

    # --- actions -----------------------------------------------------------------------------
    def start(
        self,
        password: str,
        heap: str = DEFAULT_HEAP,
        page_cache: str = DEFAULT_PAGE_CACHE,
        timeout: float = 120.0,
        http_port: int | None = None,
        notify: Callable[[str], None] = lambda line: None,
    ) -> str:
        """Start the server unless it already runs; return its URI once Bolt accepts logins.
        An empty password starts it with authentication off. ``http_port`` also opens the HTTP
        API and Neo4j Browser on 127.0.0.1 (see :meth:`browser_url`); off by default.

        Starts of one data directory run one at a time: a second start waits for the first and
        then finds the server running. ``notify`` gets one line saying which happened."""
        if self.pid() is None:
            self._refuse_taken_ports(http_port)  # at once, before anything is created
        with exclusive(self.data_dir / "start.lock"):
            return self._start(password, heap, page_cache, timeout, http_port, notify)

    def _refuse_taken_ports(self, http_port: int | None) -> None:
        if self.port_open():
            raise UserError(f"port {self.port} is already in use by another process; choose --port")
        if http_port is not None and _port_open(http_port):
            raise UserError(f"HTTP port {http_port} is already in use by another process; choose --http-port")

    def _start(self, password: str, heap: str, page_cache: str, timeout: float, http_port: int | None,
               notify: Callable[[str], None]) -> str:
        running = self.pid()
        if running is not None:
            notify(f"already running (pid {running}, data in {self.data_dir})")
            wait_for_bolt(self.uri, password, timeout)
            return self.uri
        self._refuse_taken_ports(http_port)
        notify(f"starting Neo4j (data in {self.data_dir}, log in {self.log_file}) …")
        jar_dir = build_launcher(self.launcher_home)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.uri_file.unlink(missing_ok=True)
        cmd = [
            "java",
            "-Xms256m",
            f"-Xmx{heap}",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            f"{jar_dir / 'neo4j-launcher.jar'}:{jar_dir / 'lib'}/*",
            LAUNCHER_CLASS,
            "--data-dir",
            str(self.data_dir.resolve()),
            "--port",
            str(self.port),
            "--page-cache",
            page_cache,
        ]
        if http_port is not None:
            cmd += ["--http-port", str(http_port)]
        # the password travels in the environment, never on the command line (ps shows that)
        env = {**os.environ, "NEO4J_LAUNCHER_PASSWORD": password}
        with open(self.log_file, "wb") as log:
            proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                start_new_session=True,  # survives the `hippo` process and its Ctrl-C
            )
        self.pid_file.write_text(f"{proc.pid}\n")
        deadline = time.monotonic() + timeout
        # READY is printed after the password is set: a login before that would be refused
        while not (self._ready_logged() and self.port_open()):
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise UserError(f"Neo4j exited during start; see {self.log_file}:\n{self._log_tail()}")
            if time.monotonic() > deadline:
                raise UserError(f"Neo4j did not open {self.uri} within {timeout:.0f}s; see {self.log_file}")
            time.sleep(0.5)
        wait_for_bolt(self.uri, password, max(5.0, deadline - time.monotonic()))
        self.uri_file.write_text(self.uri + "\n")
        notify(f"started (pid {proc.pid})")
        return self.uri

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server; False when it was not running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            self.uri_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)  # the launcher's shutdown hook closes the DBMS cleanly
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.3)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        self.uri_file.unlink(missing_ok=True)
        return True

    def _ready_logged(self) -> bool:
        try:
            return any(line.startswith("READY ") for line in self.log_file.read_text(errors="replace").splitlines())
        except OSError:
            return False

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours still answers kill(0); reap it if it is ours
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def build_launcher(home: str | Path = "") -> Path:
    """Compile the launcher and copy Neo4j's jars next to it, once (again when its sources are newer
    than the jar); returns its target/ dir. Installed sources are copied to a writable folder first
    (see :func:`launcher_project`)."""
    sources, project = launcher_sources(), launcher_project(home)
    target = project / "target"
    # one build at a time: a second start waits here, then finds the jars built
    with exclusive(project / ".build.lock"):
        if project.resolve() != sources.resolve():
            _copy_sources(sources, project)
        if _stale(project, target):
            _mvn_package(project)
    return target


def _stale(src: Path, target: Path) -> bool:
    jar = target / "neo4j-launcher.jar"
    return not jar.is_file() or not (target / "lib").is_dir() or (
        max(p.stat().st_mtime for p in _project_files(src).values()) > jar.stat().st_mtime
    )


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _mvn_package(src: Path) -> None:
    # batch mode: no colours or progress bars, so a failure reads as plain lines
    cmd = ["mvn", "-B", "-q", "--no-transfer-progress", "-f", str(src / "pom.xml"), "package"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    except FileNotFoundError as exc:
        raise UserError("Maven (mvn) is needed to build the Neo4j launcher; install Maven and Java 17+") from exc
    if done.returncode != 0:
        lines = [_ANSI.sub("", line).rstrip() for line in (done.stdout + done.stderr).splitlines()]
        tail = "\n".join(line for line in lines if line.strip())[-2000:]
        raise UserError(f"building the Neo4j launcher failed (mvn exit {done.returncode}):\n{tail}")


def wait_for_bolt(uri: str, password: str, timeout: float, user: str = "neo4j") -> None:
    """Block until the server at ``uri`` accepts a login (the driver's connectivity check)."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    auth = (user, password) if password else None
    deadline = time.monotonic() + timeout
    while True:
        try:
            with GraphDatabase.driver(uri, auth=auth) as driver:
                driver.verify_connectivity()
            return
        except AuthError as exc:
            raise UserError(f"Neo4j at {uri} rejected the login for user {user!r}") from exc
        except (ServiceUnavailable, Neo4jError, OSError) as exc:
            if time.monotonic() > deadline:
                raise UserError(f"Neo4j at {uri} does not answer: {type(exc).__name__}") from exc
            time.sleep(0.5)
