"""Turn a snippet into the Markdown a reader sees: copyable commands, then real output.

Commands go in a ``bash`` block whose copy button yields only the commands; the output
goes in a separate block without a copy button. Pattern lines show their recorded
sample, capture references show the recorded value, and ``[N]`` exit lines are dropped.
"""

from __future__ import annotations

from .capabilities import CAPABILITIES
from .match import fill_references
from .model import Command, Snippet

FENCE = "```"
OFTEN_MISSING = {"ipvs", "esp", "vlan", "ipvlan", "dummy"}
"""Kernel features many hosts lack: a step that needs one says so on the page. (Swarm,
VXLAN, macvlan and compose are everywhere Docker is; a note on every step would be noise.)"""


def render_snippet(
    step: Snippet, captures: dict[str, str], show_host: bool = False, skipped: str = ""
) -> str:
    """Markdown for one step; ``captures`` are the page's recorded capture values.

    ``skipped`` is the reason the last test run skipped this step, if it did.
    """
    blocks: list[str] = []
    if skipped:
        blocks.append(_skipped_note(step, skipped))
    elif any(name in OFTEN_MISSING for name in step.requires):
        blocks.append(_requirement_note(step))
    pending: list[str] = []
    for command in step.commands:
        pending.append(fill_references(command.text, captures))
        output = _output_lines(command, captures)
        if output:
            blocks.append(_command_block(pending, step, show_host))
            blocks.append(_output_block(output))
            pending = []
    if pending:
        blocks.append(_command_block(pending, step, show_host))
    return "\n\n".join(blocks) + "\n"


def commands_text(step: Snippet, captures: dict[str, str]) -> list[str]:
    """The commands exactly as the page shows them (what the copy button yields)."""
    return [fill_references(command.text, captures) for command in step.commands]


def _output_lines(command: Command, captures: dict[str, str]) -> list[str]:
    return [fill_references(line.sample, captures) for line in command.expected]


def _command_block(commands: list[str], step: Snippet, show_host: bool) -> str:
    title = f' title="on {step.host}"' if show_host else ""
    body = "\n".join(commands)
    return f"{FENCE} {{ .bash .cnv-command{title} }}\n{body}\n{FENCE}"


def _output_block(lines: list[str]) -> str:
    body = "\n".join(lines)
    fence = FENCE + "`" if FENCE in body else FENCE
    return f"{fence} {{ .text .no-copy .cnv-output }}\n{body}\n{fence}"


def _requirement_note(step: Snippet) -> str:
    needs = "; ".join(f"**{name}**: {CAPABILITIES[name]}" for name in step.requires)
    return (
        f'!!! info "This step needs {", ".join(step.requires)}"\n\n'
        f"    {needs}. On a host without it the test suite skips this step and says why."
    )


def _skipped_note(step: Snippet, reason: str) -> str:
    needs = "; ".join(f"{name}: {CAPABILITIES[name]}" for name in step.requires)
    return (
        '!!! warning "Not verified on the test host"\n\n'
        f"    The last test run skipped this step: {reason}. It needs {needs}; on a kernel "
        "that has it, the suite runs it like every other step."
    )
