"""What a page's steps will create and touch, read from their commands before any runs.

The host-engine lane uses this to decide whether a page is safe on an engine it does not own
(see ``host_engine.py``); ``python -m macros run --host-engine --list`` uses it to say which
pages can run on a single engine at all.

Commands are read as a shell would split them (quotes respected, cut at ``;``, ``&&``, ``||``,
``|``, ``&``, parentheses and line ends, redirections left out), and a ``docker`` command's
words as the docker CLI parses them (which options take a value, ``--flag=value``, ``-ovalue``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..snippets.model import Command, Snippet

KINDS = ("containers", "networks", "volumes", "services")
KIND_OF_GROUP = {group: f"{group}s" for group in ("container", "network", "volume", "service")}

COMPOSE_FILE_NAME = re.compile(r"^name:\s*['\"]?([\w.-]+)['\"]?\s*$", re.M)
"""The ``name:`` line of a compose file a step writes (``cat > compose.yaml <<EOF``)."""
COMPOSE_PROJECT_VARIABLE = "COMPOSE_PROJECT_NAME"
NAME = re.compile(r"[A-Za-z0-9][\w.-]*")
"""A name Docker accepts for an object (or an ID prefix: one character is enough for that)."""

# --- shell words -----------------------------------------------------------------------------

SEPARATORS = re.compile(r"\|\||&&|[;|\n]")
OPERATOR_CHARS = ";&|<>()\n"
SEPARATOR_CHARS = set(";&|()\n")
IO_NUMBER = re.compile(r"(?<![^\s;&|()])\d+(?=[<>])")
"""The ``2`` of ``2>/dev/null``: part of the redirection, never a word."""
SUBSTITUTION = re.compile(r"\$\(([^()]*)\)|`([^`]*)`")
LISTED = "__cnv_listed_ids__"
"""Stands for a ``$(docker ps -q)``-like expansion: names or IDs listed from the whole engine."""
EXPANDED = "__cnv_expansion__"
"""Stands for any other command substitution (never a name)."""
PIPED = "__cnv_piped__"
"""Stands for the words ``xargs`` adds from its input."""
ASSIGNMENT = re.compile(r"([A-Za-z_]\w*)=(.*)", re.S)
VARIABLE = re.compile(r"\$\{?([A-Za-z_]\w*)")
KEYWORDS = {"if", "then", "else", "elif", "while", "until", "do", "!", "{", "}", "export"}
WRAPPERS = {
    "sudo": {"-u", "-g", "-p", "-C", "-D", "-h", "-r", "-t", "-U", "-T", "--user", "--group"},
    "doas": {"-u", "-C"},
    "command": set(),
    "exec": {"-a"},
    "env": {"-u", "--unset", "-C", "--chdir"},
    "timeout": {"-s", "--signal", "-k", "--kill-after"},
    "nice": {"-n", "--adjustment"},
    "ionice": {"-c", "-n", "--class", "--classdata"},
    "nohup": set(),
    "setsid": set(),
    "stdbuf": {"-i", "-o", "-e"},
    "xargs": {"-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "--arg-file", "--delimiter"},
    "time": {"-f", "-o", "--format", "--output"},
}
"""Commands that run the command after them, with the options that take a value."""
WRAPPER_OPERANDS = {"timeout": 1}
"""Words a wrapper takes before the command it runs (``timeout 5 cmd``)."""
SHELLS = {"sh", "bash", "dash"}
MAX_NESTING = 3

# --- docker's own words ----------------------------------------------------------------------

GROUPS = {"container", "network", "volume", "service", "image", "system", "swarm", "node"}
GROUPS |= {"builder", "buildx", "compose", "stack", "secret", "config", "plugin", "context"}
TOP_LEVEL = {"ps": ("container", "ls"), "rmi": ("image", "rm"), "images": ("image", "ls")}
VERB_ALIASES = {"remove": "rm", "list": "ls", "delete": "rm"}
COMPOSE_VALUES = {"-p", "--project-name", "-f", "--file", "--project-directory", "--env-file"}
COMPOSE_VALUES |= {"--profile", "--parallel", "--ansi", "--progress"}
"""``docker compose``'s own options that take a value (they come before its command)."""
GLOBAL_VALUES = {"-H", "--host", "-c", "--context", "--config", "-l", "--log-level"}
GLOBAL_VALUES |= {"--tlscacert", "--tlscert", "--tlskey"}
RUN_VALUES = {
    "-a", "--attach", "-c", "--cpu-shares", "-e", "--env", "-h", "--hostname", "-l", "--label",
    "-m", "--memory", "-p", "--publish", "-u", "--user", "-v", "--volume", "-w", "--workdir",
    "--add-host", "--annotation", "--blkio-weight", "--blkio-weight-device", "--cap-add",
    "--cap-drop", "--cgroup-parent", "--cgroupns", "--cidfile", "--cpu-period", "--cpu-quota",
    "--cpu-rt-period", "--cpu-rt-runtime", "--cpus", "--cpuset-cpus", "--cpuset-mems",
    "--detach-keys", "--device", "--device-cgroup-rule", "--device-read-bps",
    "--device-read-iops", "--device-write-bps", "--device-write-iops", "--dns", "--dns-option",
    "--dns-search", "--domainname", "--entrypoint", "--env-file", "--expose", "--gpus",
    "--group-add", "--health-cmd", "--health-interval", "--health-retries",
    "--health-start-interval", "--health-start-period", "--health-timeout", "--ip", "--ip6",
    "--ipc", "--isolation", "--kernel-memory", "--label-file", "--link", "--link-local-ip",
    "--log-driver", "--log-opt", "--mac-address", "--memory-reservation", "--memory-swap",
    "--memory-swappiness", "--mount", "--name", "--network", "--net", "--network-alias",
    "--net-alias", "--oom-score-adj", "--pid", "--pids-limit", "--platform", "--pull",
    "--restart", "--runtime", "--security-opt", "--shm-size", "--stop-signal", "--stop-timeout",
    "--storage-opt", "--sysctl", "--tmpfs", "--ulimit", "--userns", "--uts", "--volume-driver",
    "--volumes-from",
}  # fmt: skip
SERVICE_VALUES = {
    "-e", "--env", "-l", "--label", "-p", "--publish", "-u", "--user", "-w", "--workdir",
    "--cap-add", "--cap-drop", "--config", "--constraint", "--container-label",
    "--credential-spec", "--dns", "--dns-option", "--dns-search", "--endpoint-mode",
    "--entrypoint", "--env-file", "--generic-resource", "--group", "--health-cmd",
    "--health-interval", "--health-retries", "--health-start-interval", "--health-start-period",
    "--health-timeout", "--host", "--hostname", "--isolation", "--limit-cpu", "--limit-memory",
    "--limit-pids", "--log-driver", "--log-opt", "--max-concurrent", "--mode", "--mount",
    "--name", "--network", "--placement-pref", "--replicas", "--replicas-max-per-node",
    "--reserve-cpu", "--reserve-memory", "--restart-condition", "--restart-delay",
    "--restart-max-attempts", "--restart-window", "--rollback-delay", "--rollback-failure-action",
    "--rollback-max-failure-ratio", "--rollback-monitor", "--rollback-order",
    "--rollback-parallelism", "--secret", "--stop-grace-period", "--stop-signal", "--sysctl",
    "--ulimit", "--update-delay", "--update-failure-action", "--update-max-failure-ratio",
    "--update-monitor", "--update-order", "--update-parallelism",
}  # fmt: skip
NETWORK_CREATE_VALUES = {"-d", "--driver", "--subnet", "--gateway", "--ip-range", "--label"}
NETWORK_CREATE_VALUES |= {"--aux-address", "--ipam-driver", "--ipam-opt", "-o", "--opt"}
NETWORK_CREATE_VALUES |= {"--scope", "--config-from"}
VOLUME_CREATE_VALUES = {"-d", "--driver", "-o", "--opt", "--label", "--name", "--scope"}
VOLUME_CREATE_VALUES |= {"--availability", "--group", "--limit-bytes", "--required-bytes"}
VOLUME_CREATE_VALUES |= {"--secret", "--sharing", "--topology-preferred", "--type"}
VOLUME_CREATE_VALUES |= {"--topology-required"}
STOP_VALUES = {"-t", "--time", "--timeout", "-s", "--signal"}
LIST_VALUES = {"-f", "--filter", "--format", "-n", "--last"}
VALUES = {
    ("container", "run"): RUN_VALUES,
    ("container", "create"): RUN_VALUES,
    ("service", "create"): SERVICE_VALUES,
    ("network", "create"): NETWORK_CREATE_VALUES,
    ("volume", "create"): VOLUME_CREATE_VALUES,
    ("container", "stop"): STOP_VALUES,
    ("container", "restart"): STOP_VALUES,
    ("container", "kill"): STOP_VALUES,
}
"""The options that take a value, by command (listings: ``LIST_VALUES``; others: none)."""
OPTIONS_FIRST = {("container", "run"), ("container", "create"), ("service", "create")}
"""Commands whose options end at the first operand (``docker run [OPTIONS] IMAGE [CMD]``)."""
REMOVERS = {("container", verb) for verb in ("rm", "stop", "kill", "restart", "pause")}
REMOVERS |= {("network", "rm"), ("volume", "rm"), ("service", "rm"), ("image", "rm")}
REMOVERS |= {("node", "rm")}
NAME_USERS = {("container", "rm"), ("container", "stop"), ("container", "kill")}
NAME_USERS |= {("network", "rm"), ("volume", "rm"), ("service", "rm")}
"""Commands that act on objects by a name the page writes (which Docker may resolve to an ID
prefix when no object has that exact name)."""
PRUNED = {
    "container": "every stopped container",
    "network": "every network no container uses",
    "volume": "every volume no container uses",
    "image": "every dangling (with -a: unused) image",
    "system": "every stopped container, unused network and dangling image",
    "builder": "the build cache",
    "buildx": "the build cache",
}
"""What ``docker GROUP prune`` removes from the whole engine."""
LOCAL_LINK_DRIVERS = {"macvlan", "ipvlan"}
HOST_NETWORK_CAPS = {"NET_ADMIN", "CAP_NET_ADMIN", "ALL"}

# --- the machine's own tools -----------------------------------------------------------------

IPTABLES = {"iptables", "ip6tables", "ebtables", "arptables"}
IPTABLES |= {f"{tool}-{flavour}" for tool in set(IPTABLES) for flavour in ("legacy", "nft")}
FIREWALL_TOOLS = IPTABLES | {"nft", "ufw", "firewall-cmd", "xtables-nft-multi"}
FIREWALL_TOOLS |= {"xtables-legacy-multi"} | {f"{tool}-restore" for tool in IPTABLES}
FIREWALL_TOOLS |= {"iptables-restore", "ip6tables-restore"}
IPTABLES_READS = set("LSCh")
IPTABLES_COMMANDS = set("ACDIRLSFZNXPEh")
IPTABLES_LONG = {"--list": "L", "--list-rules": "S", "--check": "C", "--help": "h"}
IPTABLES_LONG |= {"--version": "h", "--append": "A", "--insert": "I", "--delete": "D"}
IPTABLES_LONG |= {"--replace": "R", "--flush": "F", "--zero": "Z", "--new-chain": "N"}
IPTABLES_LONG |= {"--delete-chain": "X", "--policy": "P", "--rename-chain": "E"}
"""``iptables``' long commands, as the letter of their short form."""
NFT_VALUES = {"-I", "--includepath", "-f", "--file"}
NFT_READ_ONLY = {"list", "describe", "monitor", "help"}
NFT_READ_OPTIONS = {"-c", "--check", "-h", "--help", "-v", "--version"}
NFT_RUNS = {"-f", "--file", "-i", "--interactive"}
UFW_READ_ONLY = {"status", "show", "version", "help", "--version", "--help"}
FIREWALL_CMD_READS = ("--list", "--get", "--query", "--info", "--state", "--zone", "--help")
FIREWALL_CMD_READS += ("--permanent", "-h", "--version", "-V")
READ_VERBS = ("show", "list", "lst", "ls", "get", "help", "identify", "pids", "monitor")
"""What ``ip OBJECT VERB`` and ``tc OBJECT VERB`` do without changing anything (abbreviated as
the tools accept: ``ip l s``)."""
SUB_OBJECTS = ("xfrm", "mptcp")
"""``ip`` objects whose second word is an object too (``ip xfrm state add``)."""
IP_VALUE_OPTIONS = {"netns": 1, "family": 1, "batch": 1, "loops": 1, "rcvbuf": 2}
TC_VALUE_OPTIONS = {"netns": 1, "batch": 1, "conf": 3, "cf": 2}
"""The single-dash options of ``ip`` and ``tc`` that take a value, with the shortest
abbreviation each accepts (``-n NS`` is ``-netns NS``)."""
SYSCTL_WRITES = {"--write", "--load", "--system"}
KERNEL_SETTINGS = "/proc/sys/"
NSENTER_TARGETS = {"-t", "--target"}


@dataclass(frozen=True)
class Finding:
    """A command that reaches beyond what the page itself creates, and why that matters."""

    location: str
    command: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: `{self.command}` {self.reason}"


@dataclass
class Footprint:
    """Everything a page's ordinary steps create or act on, by kind."""

    creates: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    names_used: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    compose_projects: set[str] = field(default_factory=set)
    swarm_commands: set[str] = field(default_factory=set)
    host_changes: list[Finding] = field(default_factory=list)
    """Commands that change the machine itself (firewall, interfaces, kernel settings)."""
    engine_wide: list[Finding] = field(default_factory=list)
    """Commands that act on every object of the engine (prune, ``rm $(docker ps -aq)``)."""
    other_hosts: dict[str, str] = field(default_factory=dict)
    """Hosts other than ``node1``, each with the first step that runs there."""

    def names(self) -> set[str]:
        """Every object name the page writes, whatever its kind."""
        everything: set[str] = set()
        for kind in KINDS:
            everything |= self.creates[kind] | self.names_used[kind]
        return everything

    def lab_only_reasons(self) -> list[str]:
        """Why the page needs the lab whatever the engine holds (empty: one engine will do);
        what would destroy a reader's objects comes first."""
        wide = [
            f"{command}; pages that act on the whole engine run only in the lab"
            for command in self.engine_wide
        ]
        hosts = [
            f"{first}: runs on host {host!r}; pages with several hosts need the lab"
            for host, first in sorted(self.other_hosts.items())
        ]
        return [*wide, *hosts] + [
            f"{change}; pages that change the machine itself run only in the lab"
            for change in self.host_changes
        ]


@dataclass(frozen=True)
class Docker:
    """One ``docker`` command, as the CLI reads it: ``docker GROUP VERB [options] args``."""

    group: str
    verb: str
    options: tuple[tuple[str, str], ...]
    args: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.group, self.verb

    def values(self, *names: str) -> list[str]:
        """The values given to any of the options ``names``, in order."""
        return [value for name, value in self.options if name in names]

    def lists(self) -> bool:
        """Whether it lists objects of the whole engine (``docker ps``, ``network ls``)."""
        return _lists(self.group, self.verb)


def _lists(group: str, verb: str) -> bool:
    return verb == "ls" or (verb == "ps" and group in {"service", "node"})


@dataclass
class Shell:
    """What the page's shell remembers from one command to the next."""

    listed: set[str] = field(default_factory=set)
    """Variables holding names or IDs listed from the whole engine (``ids=$(docker ps -q)``)."""
    compose_projects: set[str] = field(default_factory=set)
    """Values given to ``COMPOSE_PROJECT_NAME`` (``export`` or before a command)."""


def footprint(steps: list[Snippet]) -> Footprint:
    """Read what ``steps`` create and touch; teardown steps only add the names they use."""
    found, shell = Footprint(), Shell()
    for step in steps:
        if step.host != "node1" and step.host not in found.other_hosts:
            found.other_hosts[step.host] = str(step.path)
        for command in step.commands:
            _read(found, command, shell, step.teardown)
    commands = [command.text for step in steps for command in step.commands]
    if any("docker compose" in text for text in commands):
        for text in commands:
            found.compose_projects |= set(COMPOSE_FILE_NAME.findall(text))
    return found


def _read(found: Footprint, command: Command, shell: Shell, teardown: bool) -> None:
    """Add what one command creates and touches to ``found``."""
    text = command.text.replace("\\\n", " ")
    written: list[str] = []
    simple = list(simple_commands(text, shell, written))
    dockers = [docker for words in simple if (docker := parse_docker(words))]
    for docker in dockers:
        if docker.key in NAME_USERS:
            found.names_used[KIND_OF_GROUP[docker.group]] |= _names(docker.args)
    if teardown:
        return
    for docker in dockers:
        kind, names = _created(docker)
        if kind:
            found.creates[kind] |= names
    found.swarm_commands |= {docker.verb for docker in dockers if docker.group == "swarm"}
    found.compose_projects |= shell.compose_projects
    for docker in dockers:
        found.compose_projects |= _compose_projects(docker)
    where = str(command.location), command.text.splitlines()[0]
    changes = _host_changes(simple, dockers)
    if any(target.startswith(KERNEL_SETTINGS) for target in written):
        changes.append("changes this machine's kernel settings (writes under /proc/sys)")
    found.host_changes += [Finding(*where, why) for why in changes]
    found.engine_wide += [Finding(*where, why) for why in _engine_wide(dockers)]


def _compose_projects(docker: Docker) -> set[str]:
    """The project names a ``docker compose -p NAME ...`` gives (none for other commands)."""
    if docker.group != "compose":
        return set()
    return {_unquote(name) for name in docker.values("-p", "--project-name")}


def _created(docker: Docker) -> tuple[str, set[str]]:
    """The kind and the names of the objects ``docker`` creates (none: ``("", set())``)."""
    if docker.key in {("container", "run"), ("container", "create"), ("service", "create")}:
        return KIND_OF_GROUP[docker.group], {_unquote(n) for n in docker.values("--name")}
    if docker.key == ("network", "create"):
        return "networks", _names(docker.args)
    if docker.key == ("volume", "create"):
        return "volumes", _names(docker.args) | {_unquote(n) for n in docker.values("--name")}
    return "", set()


def _names(words: Iterable[str]) -> set[str]:
    return {word for word in words if NAME.fullmatch(word)}


def _unquote(name: str) -> str:
    return name.strip("'\"")


# --- what reaches beyond the page ------------------------------------------------------------


def _engine_wide(dockers: list[Docker]) -> list[str]:
    """Why each of ``dockers`` would act on objects that are not the page's own."""
    fed_by_listing = any(docker.lists() for docker in dockers)
    reasons = []
    for docker in dockers:
        if docker.verb == "prune" and docker.group in PRUNED:
            reasons.append(f"removes {PRUNED[docker.group]} on the engine, yours included")
        elif docker.key in REMOVERS and _acts_on_listed(docker.args, fed_by_listing):
            reasons.append(
                f"acts on whatever a `docker ... ls/ps` lists, every {docker.group} on the "
                "engine (yours included), not only the page's own"
            )
    return reasons


def _acts_on_listed(args: tuple[str, ...], fed_by_listing: bool) -> bool:
    return any(LISTED in arg for arg in args) or (fed_by_listing and PIPED in args)


def _host_changes(simple: list[list[str]], dockers: list[Docker]) -> list[str]:
    """Why each command changes the machine itself rather than the engine."""
    reasons = [reason for words in simple if (reason := _tool_change(words))]
    for docker in dockers:
        if docker.key == ("network", "create") and _local_link(docker):
            reasons.append("puts macvlan/ipvlan links on one of this machine's network interfaces")
        elif docker.key in OPTIONS_FIRST and _admin_on_host_network(docker):
            reasons.append(
                "runs a container in this machine's own network namespace with NET_ADMIN "
                "(--cap-add or --privileged): it can change the machine's network"
            )
    return reasons


def _local_link(docker: Docker) -> bool:
    return bool(LOCAL_LINK_DRIVERS & set(docker.values("-d", "--driver")))


def _admin_on_host_network(docker: Docker) -> bool:
    if "host" not in docker.values("--network", "--net"):
        return False
    caps = {cap.upper() for value in docker.values("--cap-add") for cap in value.split(",")}
    privileged = any(value in {"", "true"} for value in docker.values("--privileged"))
    return privileged or bool(caps & HOST_NETWORK_CAPS)


def _tool_change(words: list[str]) -> str | None:
    """Why the simple command ``words`` changes the machine (None: it does not)."""
    tool, args = words[0].rsplit("/", 1)[-1], words[1:]
    if tool in FIREWALL_TOOLS and not _firewall_reads_only(tool, args):
        return "changes this machine's firewall"
    if tool == "ip" and _changes_objects(args, IP_VALUE_OPTIONS):
        return "changes this machine's network interfaces"
    if tool == "tc" and _changes_objects(args, TC_VALUE_OPTIONS):
        return "changes this machine's traffic control (qdiscs, classes, filters)"
    if tool == "sysctl" and _sysctl_writes(args):
        return "changes this machine's kernel settings"
    if tool == "tee" and any(arg.startswith(KERNEL_SETTINGS) for arg in args):
        return "changes this machine's kernel settings (writes under /proc/sys)"
    if tool == "nsenter" and _enters_the_machine(args):
        return "enters the namespaces of the machine's first process (PID 1): the machine itself"
    return None


def _enters_the_machine(args: list[str]) -> bool:
    """``nsenter -t 1``, ``--target=1``, ``-t1`` or ``--net=/proc/1/ns/net``."""
    options, _operands = _parse_options(args, NSENTER_TARGETS, interspersed=False)
    return any(
        (name in NSENTER_TARGETS and value == "1") or value.startswith("/proc/1/")
        for name, value in options
    )


def _firewall_reads_only(tool: str, args: list[str]) -> bool:
    if tool in IPTABLES:
        return _iptables_reads_only(args)
    if tool == "nft":
        return _nft_reads_only(args)
    if tool == "ufw":
        return bool(args) and args[0] in UFW_READ_ONLY
    if tool == "firewall-cmd":
        return bool(args) and all(arg.startswith(FIREWALL_CMD_READS) for arg in args)
    return False  # *-restore, xtables-*-multi: they load rules


def _iptables_reads_only(args: list[str]) -> bool:
    """Whether every command an ``iptables`` line gives lists or checks (``-nvL``, ``-S``)."""
    letters: set[str] = set()
    for arg in args:
        if arg.startswith("--"):
            letters |= set(IPTABLES_LONG.get(arg.partition("=")[0], ""))
        elif arg.startswith("-") and not arg[1:].isdigit():
            letters |= set(arg[1:]) & IPTABLES_COMMANDS
    return bool(letters) and letters <= IPTABLES_READS


def _nft_reads_only(args: list[str]) -> bool:
    options, operands = _parse_options(args, NFT_VALUES)
    names = {name for name, _value in options}
    if names & NFT_READ_OPTIONS:
        return True  # -c checks the commands without applying them
    words = " ".join(operands).split()
    return not names & NFT_RUNS and bool(words) and words[0] in NFT_READ_ONLY


def _changes_objects(args: list[str], value_options: dict[str, int]) -> bool:
    """Whether ``ip``/``tc`` ``[options] OBJECT [VERB ...]`` changes anything (``ip l add``,
    ``ip -n ns link set``, ``ip netns add``, ``tc qdisc add``); a batch file counts as one."""
    options, operands = _single_dash_options(args, value_options)
    return any(_abbreviates(name, "batch") for name in options) or _changes_verb(operands)


def _single_dash_options(
    args: list[str], value_options: dict[str, int]
) -> tuple[list[str], list[str]]:
    """iproute2's options (one dash, abbreviated: ``-n NS``, ``-4``) and the words after."""
    options, words = [], iter(args)
    for word in words:
        if word == "--":
            return options, list(words)
        if not word.startswith("-"):
            return options, [word, *words]
        name = word.lstrip("-")
        options.append(name)
        if any(_abbreviates(name, full, n) for full, n in value_options.items()):
            next(words, None)
    return options, []


def _changes_verb(operands: list[str]) -> bool:
    """``OBJECT VERB ...``: a change unless the verb only reads (no verb: show)."""
    if operands and any(_abbreviates(operands[0], name) for name in SUB_OBJECTS):
        operands = operands[1:]  # ``ip xfrm policy list``: the verb comes after ``policy``
    if len(operands) < 2 or _abbreviates(operands[0], "monitor", 2):
        return False
    return not any(_abbreviates(operands[1], verb) for verb in READ_VERBS)


def _abbreviates(word: str, full: str, shortest: int = 1) -> bool:
    return len(word) >= shortest and full.startswith(word)


def _sysctl_writes(args: list[str]) -> bool:
    for arg in args:
        if arg in SYSCTL_WRITES or ("=" in arg and not arg.startswith("--")):
            return True
        if arg.startswith("-") and not arg.startswith("--") and {"w", "p", "f"} & set(arg):
            return True
    return False


# --- reading shell and docker words ----------------------------------------------------------


def simple_commands(
    text: str, shell: Shell | None = None, written: list[str] | None = None, depth: int = 0
) -> Iterator[list[str]]:
    """The words of each simple command in ``text``, quotes respected and wrappers (``sudo``,
    ``timeout 5``, ``VAR=1``, ``then``) left out; the scripts of ``$(...)`` and ``sh -c`` are
    read too, and whatever runs under ``unshare -n`` (a network namespace of its own, thrown
    away after) is left out: it cannot change the machine's. The files its ``>``/``>>``
    redirections write go to ``written``."""
    shell = shell or Shell()
    text, scripts = _substitutions(text)
    for script in scripts if depth < MAX_NESTING else []:
        yield from simple_commands(script, shell, written, depth + 1)
    for words in split_commands(text, written):
        words = [LISTED if _refers_to(word, shell.listed) else word for word in words]
        _remember_listed(words, shell)
        words = _unwrap(words)
        tool = words[0].rsplit("/", 1)[-1] if words else ""
        if not words or (tool == "unshare" and {"-n", "--net"} & set(words[1:])):
            continue
        if tool in SHELLS and "-c" in words[1:-1] and depth < MAX_NESTING:
            script = words[words.index("-c", 1) + 1]
            yield from simple_commands(script, shell, written, depth + 1)
            continue
        yield words


def _substitutions(text: str) -> tuple[str, list[str]]:
    """``text`` with each ``$(...)`` and backquote replaced by ``LISTED`` (a listing of the
    engine's objects) or ``EXPANDED``; and the scripts they held, innermost first. Quotes are
    not looked at: a substitution inside single quotes counts too (``sh -c '...'`` runs it)."""
    scripts: list[str] = []

    def replace(match: re.Match[str]) -> str:
        script = match.group(1) if match.group(1) is not None else match.group(2)
        scripts.append(script)
        return LISTED if _lists_objects(script) else EXPANDED

    for _ in range(MAX_NESTING):
        text, replaced = SUBSTITUTION.subn(replace, text)
        if not replaced:
            break
    return text, scripts


def _lists_objects(script: str) -> bool:
    """Whether ``script`` prints names or IDs from the whole engine (``docker ps -aq``)."""
    first = next(iter(split_commands(script)), [])
    docker = parse_docker(_unwrap(first)) if first else None
    return bool(docker and docker.lists()) or LISTED in script


def _refers_to(word: str, variables: set[str]) -> bool:
    return any(name in variables for name in VARIABLE.findall(word))


def _remember_listed(words: list[str], shell: Shell) -> None:
    """Note the variables a listing goes into: ``ids=$(docker ps -q)``, ``for c in ...``."""
    loop = len(words) > 3 and words[0] == "for" and words[2] == "in"
    if loop and any(LISTED in word for word in words[3:]):
        shell.listed.add(words[1])
    for word in words[1:] if words[:1] == ["export"] else words:
        assignment = ASSIGNMENT.fullmatch(word)
        if not assignment:
            break
        if LISTED in assignment.group(2):
            shell.listed.add(assignment.group(1))
        if assignment.group(1) == COMPOSE_PROJECT_VARIABLE:
            shell.compose_projects.add(assignment.group(2))


def split_commands(text: str, targets: list[str] | None = None) -> list[list[str]]:
    """The words of each command in ``text``, cut at ``;``, ``&&``, ``||``, ``|``, ``&``,
    parentheses and line ends outside quotes; redirections (``>/dev/null``, ``2>&1``) dropped,
    the files that ``>`` and ``>>`` write appended to ``targets``."""
    lexer = shlex.shlex(IO_NUMBER.sub("", text), posix=True, punctuation_chars=OPERATOR_CHARS)
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True  # only blanks and operators end a word (``8080:80``, ``$x``)
    lexer.commenters = ""
    pieces: list[list[str]] = [[]]
    redirected = ""
    try:
        for token in lexer:
            if redirected:
                if redirected.startswith(">") and targets is not None:
                    targets.append(token)
                redirected = ""
            elif set(token) <= SEPARATOR_CHARS:
                pieces.append([])
            elif set(token) <= set(OPERATOR_CHARS):
                redirected = token  # the next word is where it goes
            else:
                pieces[-1].append(token)
    except ValueError:  # unbalanced quotes: fall back to cutting the raw text
        pieces = [piece.split() for piece in SEPARATORS.split(text)]
    return [piece for piece in pieces if piece]


def _unwrap(words: list[str]) -> list[str]:
    """The command a wrapper runs: ``sudo -E ip ...`` is ``ip ...``; ``command -v`` runs none."""
    while words:
        head = words[0].rsplit("/", 1)[-1]
        if head in KEYWORDS or ASSIGNMENT.fullmatch(words[0]):
            words = words[1:]
        elif head == "command" and {"-v", "-V"} & set(words[1:2]):
            return []
        elif head in WRAPPERS:
            _options, words = _parse_options(words[1:], WRAPPERS[head], interspersed=False)
            words = words[WRAPPER_OPERANDS.get(head, 0) :]
            words = [*words, PIPED] if head == "xargs" else words
        else:
            break
    return words


def parse_docker(words: list[str]) -> Docker | None:
    """``words`` as the docker CLI reads them, or None when they are not a docker command."""
    if not words or words[0].rsplit("/", 1)[-1] != "docker":
        return None
    _globals, rest = _parse_options(words[1:], GLOBAL_VALUES, interspersed=False)
    if not rest:
        return None
    if rest[0] in TOP_LEVEL:
        (group, verb), rest = TOP_LEVEL[rest[0]], rest[1:]
    elif rest[0] in GROUPS:
        group, verb, rest = rest[0], (rest[1:2] or [""])[0], rest[2:]
    else:
        group, verb, rest = "container", rest[0], rest[1:]
    own: list[tuple[str, str]] = []
    if group == "compose":  # ``docker compose -p demo up -d``: compose's options, then its verb
        own, rest = _parse_options([verb, *rest] if verb else rest, COMPOSE_VALUES, False)
        verb, rest = (rest[:1] or [""])[0], rest[1:]
    verb = "ls" if (group, verb) == ("container", "ps") else VERB_ALIASES.get(verb, verb)
    values = VALUES.get((group, verb), LIST_VALUES if _lists(group, verb) else set())
    options, args = _parse_options(rest, values, (group, verb) not in OPTIONS_FIRST)
    return Docker(group, verb, (*own, *options), tuple(args))


def _parse_options(
    words: list[str], values: set[str], interspersed: bool = True
) -> tuple[list[tuple[str, str]], list[str]]:
    """Options and operands, the way Go's pflag reads them: ``--flag=value``, ``--flag value``
    (when the flag takes one), ``-abc``, ``-ovalue``; ``--`` ends the options, and so does the
    first operand unless ``interspersed``."""
    options: list[tuple[str, str]] = []
    operands: list[str] = []
    rest = iter(words)
    for word in rest:
        if word == "--":
            operands += rest
        elif word.startswith("--"):
            name, equals, value = word.partition("=")
            options.append((name, value if equals or name not in values else next(rest, "")))
        elif word.startswith("-") and len(word) > 1:
            options += _short_options(word, values, rest)
        else:
            operands.append(word)
            operands += [] if interspersed else rest
    return options, operands


def _short_options(word: str, values: set[str], rest: Iterator[str]) -> list[tuple[str, str]]:
    """``-it`` is ``-i -t``; in ``-dmacvlan`` or ``-o=x`` the rest is the value of ``-d``/``-o``."""
    found = []
    for at, letter in enumerate(word[1:], start=2):
        flag = f"-{letter}"
        if flag in values:
            attached = word[at:].removeprefix("=")
            return [*found, (flag, attached or next(rest, ""))]
        found.append((flag, ""))
    return found
