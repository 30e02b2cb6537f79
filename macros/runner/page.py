"""Run a page's steps in order, one shell per host, teardown steps always last."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

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


@dataclass
class StepResult:
    """How one step went: ``passed``, ``failed``, ``skipped``, ``not run``, ``updated``, or
    ``unchecked`` (a teardown step run after a failure, its output not compared)."""

    step: Snippet
    status: str
    reason: str = ""
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)


class PageRun:
    """The steps of one page against one set of hosts, sharing shell state and captures."""

    def __init__(
        self,
        steps: list[Snippet],
        hosts: Mapping[str, Host],
        capabilities: Mapping[str, Capability] | None = None,
        update: bool = False,
    ) -> None:
        self.steps = steps
        self.update = update
        self.hosts = hosts
        self.capabilities = capabilities or {}
        self.captures: dict[str, str] = {}
        self.sessions: dict[str, ShellSession] = {}
        self.results: list[StepResult] = []
        self.checkpoint_failure = ""

    def run(self, checkpoint: Callable[[], None] | None = None) -> list[StepResult]:
        """Run every step; ``checkpoint`` runs after the last ordinary step passed.

        An ``AssertionError`` from the checkpoint is kept in ``checkpoint_failure``.

        Teardown steps run in any case, even after a failure or an interrupt, each in a
        fresh shell if the old one is no longer usable.
        """
        main = [step for step in self.steps if not step.teardown]
        teardown = [step for step in self.steps if step.teardown]
        try:
            for step in main:
                if self.failed:
                    self.results.append(StepResult(step, "not run", "an earlier step failed"))
                else:
                    self.results.append(self.run_step(step))
            if checkpoint and not self.failed:
                try:
                    checkpoint()
                except AssertionError as error:
                    self.checkpoint_failure = str(error)
        except BaseException:
            self.close()
            raise
        finally:
            check = not self.failed
            for step in teardown:
                self.results.append(self.run_step(step, check=check))
            self.close()
        return self.results

    @property
    def failed(self) -> bool:
        failed_step = any(result.status == "failed" for result in self.results)
        return failed_step or bool(self.checkpoint_failure)

    def run_step(self, step: Snippet, check: bool = True) -> StepResult:
        """Run one step's commands; skip it when a capability it needs is missing.

        With ``check`` false (teardown after a failure) every command runs and the output is
        not compared: what is left to clean up depends on where the page stopped.
        """
        missing = [name for name in step.requires if not self._has(name)]
        if missing:
            reasons = "; ".join(f"{name}: {self.capabilities[name].detail}" for name in missing)
            return StepResult(step, "skipped", f"needs {', '.join(missing)} ({reasons})")
        if step.host not in self.hosts:
            known = ", ".join(sorted(self.hosts))
            return StepResult(step, "failed", f"{step.path}: no host {step.host!r} (have {known})")
        result = StepResult(step, "passed")
        start = time.monotonic()
        for command in step.commands:
            try:
                outcome, diff = self._run_command(step, command, check)
            except CommandTimeout as error:
                self.sessions.pop(step.host).close()
                result.status = "failed"
                result.reason = f"{command.location}: {error} (after {step.timeout:g} s)"
                break
            except MissingCapture as error:
                result.status, result.reason = "failed", f"{command.location}: {error}"
                break
            result.outcomes.append(outcome)
            if not check:
                result.status, result.reason = "unchecked", "ran after an earlier failure"
            elif diff and self.update:
                result.status = "updated"
                result.reason += diff + "\n"
            elif diff:
                result.status = "failed"
                result.reason = f"{command.location}: output does not match\n{diff}"
                break
        result.seconds = time.monotonic() - start
        return result

    def _run_command(
        self, step: Snippet, command: Command, check: bool = True
    ) -> tuple[Outcome, str]:
        session = self._session(step.host)
        text = fill_references(command.text, self.captures)
        if not check:
            return session.run(text, timeout=step.timeout), ""
        deadline = time.monotonic() + step.poll
        for _attempt in range(int(step.poll / POLL_INTERVAL) + 1):
            outcome = session.run(text, timeout=step.timeout)
            found = match_command(command, outcome.output, outcome.exit_status, self.captures)
            if found.ok or self.update:
                self.captures.update(found.captures)
            if found.ok:
                return outcome, ""
            if time.monotonic() + POLL_INTERVAL > deadline:
                break
            time.sleep(POLL_INTERVAL)
        waited = f" (polled for {step.poll:g} s)" if step.poll else ""
        return outcome, found.diff + waited

    def _has(self, capability: str) -> bool:
        known = self.capabilities.get(capability)
        return known is None or known.ok

    def _session(self, host: str) -> ShellSession:
        if host not in self.sessions:
            self.sessions[host] = ShellSession(self.hosts[host].shell_argv())
        return self.sessions[host]

    def close(self) -> None:
        """End every shell this run started."""
        for session in self.sessions.values():
            session.close()
        self.sessions.clear()
