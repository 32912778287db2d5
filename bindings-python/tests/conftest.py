"""Real redis-server and Sentinel processes on 127.0.0.1 for the tests.

Each server gets a free port, runs with ``--save "" --appendonly no`` in a
temporary directory, and is stopped by pid in teardown even when the test
fails. Waits are bounded and in milliseconds.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisProcess:
    """One redis-server (or Sentinel) process that can be stopped and restarted."""

    def __init__(self, workdir: Path, args: list[str], port: int | None = None) -> None:
        self.port = port if port is not None else free_port()
        self.workdir = workdir
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, *self.args, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.workdir,
        )
        deadline = time.monotonic() + 5.0
        while not answers_ping(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=5)
        self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path, [])
    server.start()
    try:
        yield server
    finally:
        server.stop()


class SentinelCluster:
    """One master, one replica and three Sentinels."""

    def __init__(self, root: Path) -> None:
        self.master = RedisProcess(self._dir(root, "master"), [])
        self.replica = RedisProcess(self._dir(root, "replica"), [])
        self.replica.args = ["--replicaof", "127.0.0.1", str(self.master.port)]
        self.sentinels: list[RedisProcess] = []
        for i in range(3):
            workdir = self._dir(root, f"sentinel{i}")
            conf = workdir / "sentinel.conf"
            conf.write_text(
                f"sentinel monitor mymaster 127.0.0.1 {self.master.port} 2\n"
                "sentinel down-after-milliseconds mymaster 300\n"
                "sentinel failover-timeout mymaster 3000\n"
                "sentinel parallel-syncs mymaster 1\n"
            )
            self.sentinels.append(RedisProcess(workdir, [str(conf), "--sentinel"]))

    @staticmethod
    def _dir(root: Path, name: str) -> Path:
        path = root / name
        path.mkdir()
        return path

    @property
    def sentinel_addresses(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", s.port) for s in self.sentinels]

    def start(self) -> None:
        self.master.start()
        self.replica.start()
        for sentinel in self.sentinels:
            sentinel.start()

    def stop(self) -> None:
        for process in [*self.sentinels, self.replica, self.master]:
            process.stop()


@pytest.fixture
def sentinel_cluster(tmp_path: Path) -> Iterator[SentinelCluster]:
    cluster = SentinelCluster(tmp_path)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
