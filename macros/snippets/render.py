"""Turn a snippet into the Markdown a reader sees: copyable commands, then real output.

Commands go in a ``bash`` block whose copy button yields only the commands; the output
goes in a separate block without a copy button. Pattern lines show their recorded
sample, capture references in output show the recorded value, and ``[N]`` exit lines are
dropped. A capture reference in a *command* (a value made on another host) shows as a
visible placeholder, ``<name>``, explained in a note above the block: a recorded literal
would only have worked once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..markdown_text import literal
from .capabilities import CAPABILITIES
from .match import fill_references
from .model import CAPTURE_REF, Command, Snippet

if TYPE_CHECKING:
    from ..report import StepRecord
    from .pages import CaptureSource

FENCE = "```"
OFTEN_MISSING = {"ipvs", "esp", "vlan", "ipvlan", "dummy"}
"""Kernel features many hosts lack: a step that needs one says so on the page. (Swarm,
VXLAN, macvlan and compose are everywhere Docker is; a note on every step would be noise.)"""


def render_snippet(
    step: Snippet,
    captures: dict[str, str],
    show_host: bool = False,
    skipped: StepRecord | None = None,
    sources: dict[str, CaptureSource] | None = None,
) -> str:
    """Markdown for one step; ``captures`` are the page's recorded capture values.

    ``skipped`` is the record of the last test run that skipped this step, if it did;
    ``sources`` say where each capture a command uses comes from.
    """
    blocks: list[str] = []
    if skipped:
        blocks.append(_skipped_note(skipped))
    elif any(name in OFTEN_MISSING for name in step.requires):
        blocks.append(_requirement_note(step))
    placeholders = _placeholder_note(step, captures, sources or {})
    if placeholders:
        blocks.append(placeholders)
    pending: list[str] = []
    for command in step.commands:
        pending.append(with_placeholders(command.text))
        output = _output_lines(command, captures)
        if output:
            blocks.append(_command_block(pending, step, show_host))
            blocks.append(_output_block(output))
            pending = []
    if pending:
        blocks.append(_command_block(pending, step, show_host))
    return "\n\n".join(blocks) + "\n"


def commands_text(step: Snippet) -> list[str]:
    """The commands exactly as the page shows them (what the copy button yields)."""
    return [with_placeholders(command.text) for command in step.commands]


def with_placeholders(text: str) -> str:
    """``text`` with each ``%{name}`` shown as the placeholder ``<name>``."""
    return CAPTURE_REF.sub(lambda found: f"<{found[1]}>", text)


def _placeholder_note(
    step: Snippet, captures: dict[str, str], sources: dict[str, CaptureSource]
) -> str:
    names = dict.fromkeys(name for c in step.commands for name in CAPTURE_REF.findall(c.text))
    if not names:
        return ""
    lines = []
    for name in names:
        source = sources.get(name)
        origin = (
            f"what `{source.command.splitlines()[0]}` printed on {source.host} above"
            if source
            else "the value printed above"
        )
        recorded = f" (`{captures[name]}` in the recorded run)" if name in captures else ""
        lines.append(f"    `<{name}>`: {origin}{recorded}.")
    return '!!! note "Fill in before running"\n\n' + "\n\n".join(lines)


def _output_lines(command: Command, captures: dict[str, str]) -> list[str]:
    """What the page shows: a pattern line's recorded sample, a literal line filled in."""
    return [
        line.sample if line.is_pattern else fill_references(line.sample, captures)
        for line in command.expected
    ]


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
        f"    {needs}. Where the test machine's kernel lacks it, the suite runs the whole page "
        "in a user-mode Linux kernel that has it; the badge at the top names the kernel."
    )


def _skipped_note(skipped: StepRecord) -> str:
    needs = "; ".join(f"{name}: {CAPABILITIES[name]}" for name in skipped.missing)
    return (
        '!!! warning "Not verified on the test host"\n\n'
        f"    The last test run skipped this step: it needs {needs}, and the kernel it ran "
        f"on lacked it ({literal(skipped.reason)}). On a kernel that has it, the suite runs "
        "it like every other step."
    )
