"""A real production server for tests and benchmarks: gunicorn serving the WSGI application.

`ProductionServer` starts `gunicorn frombelow.config.wsgi:application` as a child process, in its
own process group, under the production settings (a fresh secret key, HTTPS assumed from one
trusted proxy), on a free port of a given range and on the database that `database_url` names. It
waits until `/api/v1/health` answers, and stops the server gently or kills it outright (SIGKILL
to the whole group, master and workers alike: what a power cut or the OOM killer does).

Requests must say what the proxy in front would: `X-Forwarded-Proto: https` (else the production
settings redirect to HTTPS) and an `X-Forwarded-For` address; `PROXY_HEADERS` holds both.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


class ServerError(RuntimeError):
    """The server did not start, or did not stop."""


def worker_ports() -> range:
    """Return the ports this test process may take: a range of its own per pytest-xdist worker.

    `free_port` only sees that nothing listens now: two workers could each find one port free
    while the other's server is down between a kill and its restart, and one would then talk to
    the other's server (on another database, where its tokens do not exist).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    index = int(worker) if worker.isdigit() else 0
    start = 18200 + 50 * index
    return range(start, start + 50)


def free_port(ports: range) -> int:
    """Return the first port of the range that nothing listens on now."""
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise ServerError(f"no free port in {ports.start}-{ports.stop - 1}")


def production_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    """Return the environment of a production installation on this database and data folder."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "frombelow.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "FROMBELOW_DATA_DIR": str(data_dir),
        "FROMBELOW_PROXY_COUNT": "1",
    }


def manage(command: str, env: dict[str, str], timeout: float) -> None:
    """Run `frombelow manage <command> --noinput` in a process of its own, in that environment."""
    subprocess.run(
        [sys.executable, "-m", "frombelow.cli.main", "manage", command, "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        timeout=timeout,
    )


def collect_static(database_url: str, data_dir: Path) -> None:
    """Collect the static files into the data folder, as `frombelow serve` does before serving:
    the production settings' manifest storage refuses to render a page without them."""
    manage("collectstatic", production_environment(database_url, data_dir), timeout=300)


class ProductionServer:
    """gunicorn on the production settings, started, waited for, stopped or killed."""

    def __init__(
        self,
        database_url: str,
        data_dir: Path,
        *,
        ports: range | None = None,
        workers: int = 3,
        threads: int = 1,
        preload: bool = False,
        log: Path | None = None,
    ) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.ports = ports or worker_ports()
        self.workers = workers
        self.threads = threads
        self.preload = preload
        self.log = log or data_dir / "gunicorn.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def address(self) -> tuple[str, int]:
        return HOST, self.port

    def start(self, timeout: float = 60.0) -> None:
        """Start the server on a free port (the same one again after a kill) and wait for it."""
        if self.process is not None:
            raise ServerError("the server is running already")
        self.port = self.port or free_port(self.ports)
        command = [GUNICORN, "frombelow.config.wsgi:application", "--bind", f"{HOST}:{self.port}"]
        command += ["--workers", str(self.workers), "--graceful-timeout", "5"]
        # gunicorn's control socket has one path for every server of the user: servers of tests
        # running side by side (and a killed one's leftover) would take it from each other.
        command.append("--no-control-socket")
        if self.threads > 1:
            # gunicorn's threaded workers: more requests in the database at the same moment.
            command += ["--threads", str(self.threads)]
        if self.preload:
            # The application is loaded once in the master and forked: a restart takes one
            # Django start-up, not one per worker.
            command.append("--preload")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=production_environment(self.database_url, self.data_dir),
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so that a kill reaches the workers too.
                start_new_session=True,
            )
        self.starts += 1
        self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                self.process = None
                raise ServerError(f"gunicorn exited at start; see {self.log}")
            if self.healthy():
                return
            time.sleep(0.05)
        self.kill()
        raise ServerError(f"gunicorn did not answer /api/v1/health in {timeout} s; see {self.log}")

    def healthy(self) -> bool:
        """Tell whether the server answers its health check with 200."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
        try:
            connection.request("GET", "/api/v1/health", headers=PROXY_HEADERS)
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, and reap the master."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None
        self._wait_port_released()

    def _wait_port_released(self) -> None:
        # A killed worker's socket closes with the process; wait until the port can be bound.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(self.address)
                except OSError:
                    time.sleep(0.05)
                    continue
                return
        raise ServerError(f"port {self.port} still taken after the server was killed")

    def stop(self) -> None:
        """Stop the server gently (SIGTERM lets the workers finish), killing it if it lingers."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self.process = None

    def errors(self, most: int = 5) -> list[str]:
        """Return the distinct exceptions the server logged (the last line of each traceback),
        so that a test's failure says what went wrong inside the server."""
        seen: dict[str, None] = {}
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        for line in text.splitlines():
            head = line.split(":", 1)[0]
            if head.endswith(("Error", "Exception")) and " " not in head:
                seen.setdefault(line[:300])
        return list(seen)[:most]

    def __enter__(self) -> ProductionServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
