"""Remove a lab by its name alone, find labs whose owner died, and count what is left.

Everything is found by name: namespaces ``<lab>-*``, cgroups ``<lab>-*``, directories and files
``<lab>`` under the state and data roots, processes that are inside a lab namespace or
cgroup or carry a lab name or path in their arguments, and the rootless host's user
``<lab>-rootless`` (its group and ``/etc/subuid``, ``/etc/subgid`` lines). Nothing without the
name is touched.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from pathlib import Path

from . import cgroups, netns, proc, rootless, state
from .names import DATA_ROOT, STATE_ROOT, check_prefix, name_re

KILL_ROUNDS = 3


def _arg_marks(arg: str, lab: re.Pattern[str]) -> bool:
    """``arg`` names a lab thing: a path under the lab roots, or a lab/netns/cgroup name."""
    for root in (STATE_ROOT, DATA_ROOT):
        if f"{root}/" in arg and lab.match(arg.split(f"{root}/", 1)[1]):
            return True
    return bool(lab.match(arg.lstrip("/")) and re.fullmatch(r"/?[a-z0-9-]+", arg))


def _is_lab_control(args: tuple[str, ...]) -> bool:
    """``python -m macros lab down|status --lab NAME``: names a lab but is not part of it."""
    return any(a == "lab" and b in {"down", "status"} for a, b in itertools.pairwise(args))


def lab_processes(lab: re.Pattern[str]) -> list[proc.ProcInfo]:
    """Live (non-zombie) processes that belong to labs matched by ``lab`` (anchored regex)."""
    inodes = {proc.netns_inode(n) for n in netns.names("") if lab.match(n)} - {0}
    found = []
    for p in proc.processes():
        if p.state == "Z" or _is_lab_control(p.args):
            continue
        if (
            p.netns in inodes
            or any(lab.match(c.lstrip("/")) for c in p.cgroups)
            or any(_arg_marks(a, lab) for a in p.args)
        ):
            found.append(p)
    return found


def _mounts_under(paths: list[Path]) -> list[str]:
    """Mount points at or below any of ``paths`` (deepest first), as this process sees them."""
    points = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        point = line.split()[1].replace("\\040", " ")
        if any(point == str(p) or point.startswith(f"{p}/") for p in paths):
            points.append(point)
    return sorted(points, key=len, reverse=True)


def _remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _self_and_ancestors() -> set[int]:
    """This process and its parents: e.g. ``lab down --lab NAME`` names the lab in its argv."""
    chain, pid = set(), os.getpid()
    for _ in range(64):
        if pid <= 1 or pid in chain:
            break
        chain.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            break
        pid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
    return chain


def remove_lab(name: str) -> list[str]:
    """Remove every trace of lab ``name``; return what could not be removed (empty: clean)."""
    lab = re.compile(rf"{re.escape(name)}(?![0-9a-f])")
    problems: list[str] = []
    survivors: list[int] = []
    for _ in range(KILL_ROUNDS):
        groups = cgroups.dirs(f"{name}-")
        pids = {p.pid for p in lab_processes(lab)}
        for group in groups:
            cgroups.thaw(group)
            pids |= cgroups.pids(group)
        pids -= _self_and_ancestors()
        if not pids:
            break
        survivors = proc.kill_all(pids)
    problems += [f"process {pid} survived SIGKILL" for pid in survivors]
    problems += rootless.remove_users(lab)
    for group in cgroups.dirs(f"{name}-"):
        if not cgroups.remove(group):
            problems.append(f"cgroup {group} is still busy")
    paths = [STATE_ROOT / name, DATA_ROOT / name]
    for point in _mounts_under(paths):
        proc.run(["umount", "-l", point], check=False)
    for ns in netns.names(f"{name}-"):
        netns.delete(ns)
        if netns.exists(ns):
            problems.append(f"netns {ns} could not be deleted")
    if _mounts_under(paths):
        problems.append(f"mounts left under {paths}; directories kept")
    else:
        for path in [*paths, *STATE_ROOT.glob(f"{name}.*"), *DATA_ROOT.glob(f"{name}.*")]:
            _remove_path(path)
    return problems


def lab_names(prefix: str) -> set[str]:
    """Names of every lab of ``prefix`` that left any trace on this machine."""
    lab = name_re(check_prefix(prefix))
    found = {m.group(1) for n in netns.names(f"{prefix}-") if (m := lab.match(n))}
    found |= {m.group(1) for d in cgroups.dirs(f"{prefix}-") if (m := lab.match(d.name))}
    for root in (STATE_ROOT, DATA_ROOT):
        if root.is_dir():
            found |= {m.group(1) for e in os.listdir(root) if (m := lab.match(e))}
    found |= {m.group(1) for user in rootless.lab_users(lab) if (m := lab.match(user))}
    for p in lab_processes(lab):
        for text in (*p.args, *p.cgroups):
            found |= {m.group(1) for m in re.finditer(rf"(?<![a-z0-9]){lab.pattern}", text)}
    return found


def cleanup_stale(prefix: str = "cnv") -> list[str]:
    """Remove every lab of ``prefix`` whose owner process is gone; return their names."""
    removed = []
    with state.locked():
        live = {s["name"] for s in state.all_states() if state.owner_alive(s)}
        for name in sorted(lab_names(prefix) - live):
            remove_lab(name)
            removed.append(name)
    return removed


def residue(prefix: str = "cnv", name: str | None = None) -> dict[str, int]:
    """Count what labs of ``prefix`` (or only lab ``name``) left: namespaces, links, mounts,
    cgroups, processes, dirs, users and their subordinate ID lines."""
    lab = name_re(check_prefix(prefix))
    if name:
        lab = re.compile(rf"({re.escape(name)})(?![0-9a-f])")
    spaces = [n for n in netns.names(f"{prefix}-") if lab.match(n)]
    links = [link for ns in [None, *spaces] for link in netns.links(ns)]
    ours = [link for link in links if lab.match(link.get("ifname", ""))]
    kinds = [link.get("linkinfo", {}).get("info_kind", "") for link in ours]
    mounts = [
        line
        for line in Path("/proc/self/mounts").read_text().splitlines()
        if re.search(rf"(/run/netns/|{STATE_ROOT}/|{DATA_ROOT}/){lab.pattern}", line)
    ]
    entries = [e for root in (STATE_ROOT, DATA_ROOT) if root.is_dir() for e in os.listdir(root)]
    processes = lab_processes(lab)
    return {
        "netns": len(spaces),
        "veths": kinds.count("veth"),
        "bridges": kinds.count("bridge"),
        "mounts": len(mounts),
        "cgroups": sum(bool(lab.match(d.name)) for d in cgroups.dirs(f"{prefix}-")),
        "processes": len(processes),
        "uml_processes": sum(bool(p.args) and p.args[0].endswith("linux.uml") for p in processes),
        "state_dirs": sum(bool(lab.match(e)) for e in entries),
        "uml_scratch_dirs": sum(bool(lab.match(e)) and e.endswith(".uml") for e in entries),
        "users": len(rootless.lab_users(lab)),
        "subid_lines": rootless.subid_lines(lab),
    }
