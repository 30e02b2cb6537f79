"""A long-lived bash process that runs commands one at a time and keeps its state.

Each command's stdout and stderr are merged (what a reader sees in a terminal) and read up
to a unique end marker that also carries the exit status. stdin is ``/dev/null`` for every
command, so a command that reads stdin cannot swallow the next one.
"""

from __future__ import annotations

import os
import secrets
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass

from ..lab.proc import PATH

CLEAN_ENV = {
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "COLUMNS": "80",
    "NO_COLOR": "1",
    "DOCKER_CLI_HINTS": "false",
    "PATH": PATH,
    "HOME": "/root",
}


class CommandTimeout(Exception):
    """A command did not finish within its timeout; the session is no longer usable."""


@dataclass(frozen=True)
class Outcome:
    """What one command printed and how it exited."""

    output: str
    exit_status: int
    seconds: float


class ShellSession:
    """Run commands in one bash process started with ``argv`` (e.g. inside a netns)."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None, cwd: str = "/tmp"):
        self.argv = argv
        self.marker = f"__cnv_done_{secrets.token_hex(8)}__"
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=CLEAN_ENV | (env or {}),
            cwd=cwd,
            start_new_session=True,
        )
        self._buffer = b""

    def run(self, command: str, timeout: float) -> Outcome:
        """Run ``command`` and return its merged output without the trailing newline."""
        start = time.monotonic()
        script = f"{{\n{command}\n}} </dev/null 2>&1\nprintf '\\n{self.marker} %d\\n' $?\n"
        assert self.process.stdin is not None
        self.process.stdin.write(script.encode())
        self.process.stdin.flush()
        raw = self._read_until_marker(deadline=start + timeout, command=command)
        head, _, status = raw.rpartition(f"\n{self.marker} ".encode())
        text = head.decode("utf-8", errors="replace")
        return Outcome(text.removesuffix("\n"), int(status), time.monotonic() - start)

    def _read_until_marker(self, deadline: float, command: str) -> bytes:
        assert self.process.stdout is not None
        stream = self.process.stdout
        end = f"\n{self.marker} ".encode()
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while True:
                index = self._buffer.find(end)
                if index >= 0:
                    line_end = self._buffer.find(b"\n", index + len(end))
                    if line_end >= 0:
                        raw, self._buffer = self._buffer[:line_end], self._buffer[line_end + 1 :]
                        return raw
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.close()
                    raise CommandTimeout(f"timed out: {command.splitlines()[0]}")
                if not selector.select(min(remaining, 1.0)):
                    continue
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    raise CommandTimeout(f"the shell exited while running: {command}")
                self._buffer += chunk

    def close(self) -> None:
        """End the shell and everything it started (its whole process group)."""
        if self.process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                stream.close()

    def __enter__(self) -> ShellSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
