"""Run a page's steps in order, one shell per host, teardown steps always last."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..report import Status
from ..snippets.errors import SnippetError
from ..snippets.match import MissingCapture, fill_references, match_command
from ..snippets.model import Command, Snippet
from .session import CommandTimeout, Outcome, ShellSession

POLL_INTERVAL = 0.5


class Host(Protocol):
    """Anything that can start a shell on a host (a lab node, the client, the local box)."""

    def shell_argv(self) -> list[str]: ...


@dataclass(frozen=True)
class Capability:
    """Whether this machine can run steps that need a capability, and why not."""

    ok: bool
    detail: str = ""


def probed_capabilities(timeout: float | None = None) -> dict[str, Capability]:
    """This kernel's capabilities, from the lab's probes (run once per process; ``timeout``
    bounds each probe's commands, longer on a guest's slow CPU)."""
    from ..lab.probes import TIMEOUT, probe_all

    probes = probe_all(TIMEOUT if timeout is None else timeout)
    return {name: Capability(probe.ok, probe.detail) for name, probe in probes.items()}


def has_capability(capabilities: Mapping[str, Capability], name: str) -> bool:
    """Whether ``capabilities`` allow ``name``; one never probed is assumed present, as the
    steps that name it would then simply run."""
    known = capabilities.get(name)
    return known is None or known.ok


@dataclass
class StepResult:
    """How one step went; a skipped step names the capabilities it lacked in ``missing``."""

    step: Snippet
    status: Status
    reason: str = ""
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    missing: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: status, snippet, seconds and the reason, e.g. for progress output."""
        reason = f"  {self.reason}" if self.reason else ""
        return f"{self.status:>9}  {self.step.path}  {self.seconds:.2f}s{reason}"


class PageRun:
    """The steps of one page against one set of hosts, sharing shell state and captures."""

    def __init__(
        self,
        steps: list[Snippet],
        hosts: Mapping[str, Host],
        capabilities: Mapping[str, Capability] | None = None,
        update: bool = False,
        progress: Callable[[str], None] | None = None,
        patience: float = 1.0,
    ) -> None:
        self.steps = steps
        self.progress = progress
        self.update = update
        self.patience = patience
        """Factor on every step's ``timeout`` and ``poll`` (a user-mode guest is slower)."""
        self.hosts = hosts
        self.capabilities = capabilities or {}
        self.captures: dict[str, str] = {}
        self.sessions: dict[str, ShellSession] = {}
        self.results: list[StepResult] = []
        self.checkpoint_failure = ""
        self.checkpoint_ran = False

    def run(
        self,
        checkpoint: Callable[[], None] | None = None,
        before_step: Callable[[Snippet], None] | None = None,
    ) -> list[StepResult]:
        """Run every step; ``checkpoint`` runs after the last ordinary step passed, and
        ``before_step`` before each ordinary step that runs.

        An ``AssertionError`` from the checkpoint is kept in ``checkpoint_failure``.

        Teardown steps run in any case, even after a failure or an interrupt, each in a
        fresh shell if the old one is no longer usable.
        """
        main = [step for step in self.steps if not step.teardown]
        teardown = [step for step in self.steps if step.teardown]
        try:
            for step in main:
                if self.failed:
                    self._done(StepResult(step, Status.NOT_RUN, "an earlier step failed"))
                else:
                    if before_step:
                        before_step(step)
                    self._done(self.run_step(step))
            if checkpoint and not self.failed:
                try:
                    checkpoint()
                except AssertionError as error:
                    self.checkpoint_failure = str(error)
                self.checkpoint_ran = True
        except BaseException:
            self.close()
            raise
        finally:
            check = not self.failed
            for step in teardown:
                self._done(self.run_step(step, check=check))
            self.close()
        return self.results

    def _done(self, result: StepResult) -> None:
        self.results.append(result)
        if self.progress:
            self.progress(result.summary())

    @property
    def failed(self) -> bool:
        failed_step = any(result.status == Status.FAILED for result in self.results)
        return failed_step or bool(self.checkpoint_failure)

    def run_step(self, step: Snippet, check: bool = True) -> StepResult:
        """Run one step's commands; skip it when a capability it needs is missing.

        With ``check`` false (teardown after a failure) every command runs and the output is
        not compared: what is left to clean up depends on where the page stopped.
        """
        missing = tuple(
            name for name in step.requires if not has_capability(self.capabilities, name)
        )
        if missing:
            reasons = "; ".join(f"{name}: {self.capabilities[name].detail}" for name in missing)
            return StepResult(step, Status.SKIPPED, reasons, missing=missing)
        if step.host not in self.hosts:
            known = ", ".join(sorted(self.hosts))
            reason = f"{step.path}: no host {step.host!r} (have {known})"
            return StepResult(step, Status.FAILED, reason)
        result = StepResult(step, Status.PASSED)
        start = time.monotonic()
        for command in step.commands:
            try:
                outcome, diff = self._run_command(step, command, check)
            except CommandTimeout as error:
                self.sessions.pop(step.host).close()
                result.status = Status.FAILED
                waited = step.timeout * self.patience
                result.reason = f"{command.location}: {error} (after {waited:g} s)"
                break
            except MissingCapture as error:
                result.status, result.reason = Status.FAILED, f"{command.location}: {error}"
                break
            except SnippetError as error:  # e.g. a regex that took too long to match
                result.status, result.reason = Status.FAILED, str(error)
                break
            result.outcomes.append(outcome)
            if not check:
                result.status, result.reason = Status.UNCHECKED, "ran after an earlier failure"
            elif diff and self.update:
                result.status = Status.UPDATED
                result.reason += diff + "\n"
            elif diff:
                result.status = Status.FAILED
                result.reason = f"{command.location}: output does not match\n{diff}"
                break
        result.seconds = time.monotonic() - start
        return result

    def _run_command(
        self, step: Snippet, command: Command, check: bool = True
    ) -> tuple[Outcome, str]:
        session = self._session(step.host)
        text = fill_references(command.text, self.captures)
        timeout, poll = step.timeout * self.patience, step.poll * self.patience
        if not check:
            return session.run(text, timeout=timeout), ""
        deadline = time.monotonic() + poll
        for _attempt in range(int(poll / POLL_INTERVAL) + 1):
            outcome = session.run(text, timeout=timeout)
            found = match_command(command, outcome.output, outcome.exit_status, self.captures)
            if found.ok or self.update:
                self.captures.update(found.captures)
            if found.ok:
                return outcome, ""
            if time.monotonic() + POLL_INTERVAL > deadline:
                break
            time.sleep(POLL_INTERVAL)
        waited = f" (polled for {poll:g} s)" if poll else ""
        return outcome, found.diff + waited

    def _session(self, host: str) -> ShellSession:
        if host not in self.sessions:
            self.sessions[host] = ShellSession(self.hosts[host].shell_argv())
        return self.sessions[host]

    def close(self) -> None:
        """End every shell this run started."""
        for session in self.sessions.values():
            session.close()
        self.sessions.clear()
