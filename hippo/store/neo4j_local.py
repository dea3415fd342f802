"""Control of the local Neo4j Community server (docker/neo4j-launcher) from Python: start it in
the background, wait until Bolt answers, stop it, report its state.

Same files as ``docker/neo4j-local.sh`` (pid file ``neo4j.pid``, log ``launcher.log``, URI in
``uri``, all inside the data directory), so either tool can stop what the other started.
"""

from __future__ import annotations

import fcntl
import os
import re
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


def launcher_dir() -> Path:
    """docker/neo4j-launcher of the source checkout (Hippo is installed editable)."""
    path = Path(__file__).resolve().parents[2] / "docker" / "neo4j-launcher"
    if not (path / "pom.xml").is_file():
        raise UserError(
            f"the Neo4j launcher is missing ({path}/pom.xml); it ships with the Hippo source "
            "checkout — or run Neo4j with docker/docker-compose.yml"
        )
    return path


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
        jar_dir = build_launcher()
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


def build_launcher() -> Path:
    """Compile the launcher and copy Neo4j's jars next to it, once; returns its target/ dir."""
    src = launcher_dir()
    target = src / "target"
    # one build at a time: a second start waits here, then finds the jars built
    with exclusive(src / ".build.lock"):
        if _stale(src, target):
            _mvn_package(src)
    return target


def _stale(src: Path, target: Path) -> bool:
    jar = target / "neo4j-launcher.jar"
    return not jar.is_file() or not (target / "lib").is_dir() or (
        (src / "pom.xml").stat().st_mtime > jar.stat().st_mtime
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
