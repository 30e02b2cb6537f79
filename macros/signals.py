"""SIGTERM and SIGHUP end a run the way Ctrl-C does.

The first one raises ``Stopped`` (a ``KeyboardInterrupt``) in the main thread, so every
``finally``, every teardown step and every ``with Lab()`` runs exactly as after Ctrl-C, and the
lab comes down. Repeats are swallowed until the cleanup is done (a Python handler, not
``SIG_IGN``, so the shells the cleanup starts still obey SIGTERM). The exit status is
128 + the signal number, as a shell reports a process killed by it.

``stop_on_signals`` does this for a whole process (``cnv``, pytest, ``lab``);
``stops_like_ctrl_c`` and ``shielded`` do it around one run and its clean-up (the host-engine
lane, called from code that may have handlers of its own).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
SHIELDED_SIGNALS = (*STOP_SIGNALS, signal.SIGINT)
Handler = Callable[[int, object], None] | int | None


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def stop_on_signals() -> None:
    """From now on, SIGTERM and SIGHUP raise ``Stopped`` once, then are swallowed."""
    _install(STOP_SIGNALS, _stop)


def _stopping(signum: int, frame: object) -> None:
    print(f"{signal.Signals(signum).name}: already cleaning up", file=sys.stderr)


def _stop(signum: int, frame: object) -> None:
    _install(STOP_SIGNALS, _stopping)
    raise Stopped(signum)


def _install(signals: tuple[int, ...], handler: Handler) -> dict[int, Handler]:
    """Set ``handler`` for ``signals``; return the handlers they had."""
    return {sig: signal.signal(sig, handler) for sig in signals}


def _restore(previous: dict[int, Handler]) -> None:
    """Put back the handlers ``_install`` returned (None: one set outside Python, kept)."""
    for sig, handler in previous.items():
        if handler is not None:
            signal.signal(sig, handler)


def _in_main_thread() -> bool:
    """Handlers can only be set there; elsewhere the context managers below do nothing."""
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def stops_like_ctrl_c() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Stopped`` once, then are swallowed.

    The handlers from before come back afterwards, unless a stop signal ended the block: the
    run is ending then, and repeats stay swallowed until the process exits.
    """
    if not _in_main_thread():
        yield
        return
    previous = _install(STOP_SIGNALS, _stop)
    try:
        yield
    except Stopped:
        _install(STOP_SIGNALS, _stopping)
        raise
    except BaseException:
        _restore(previous)
        raise
    _restore(previous)


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Within the block no SIGTERM, SIGHUP or SIGINT cuts it short: each is noted and swallowed,
    so a clean-up runs to its end. Afterwards the first one is raised as ``Stopped``, unless
    the block is already ending with an exception (a stop that came before, say)."""
    if not _in_main_thread():
        yield
        return
    came: list[int] = []

    def note(signum: int, frame: object) -> None:
        _stopping(signum, frame)
        came.append(signum)

    previous = _install(SHIELDED_SIGNALS, note)
    try:
        yield
    finally:
        _restore(previous)
    if came:
        raise Stopped(came[0])


def exit_status(interrupt: KeyboardInterrupt) -> int:
    """128 + the signal that stopped the run (SIGINT for a plain Ctrl-C)."""
    return 128 + getattr(interrupt, "signum", signal.SIGINT)


def run_stoppable(main: Callable[[], int]) -> int:
    """Run ``main`` with the stop signals handled; its status, or 128 + the signal."""
    stop_on_signals()
    try:
        return main()
    except KeyboardInterrupt as interrupt:
        reason = str(interrupt) or "interrupted by SIGINT"
        print(f"{reason}: teardown ran, everything this run created is removed", file=sys.stderr)
        return exit_status(interrupt)
