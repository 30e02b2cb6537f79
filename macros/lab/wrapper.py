"""The shell wrapper that prepares a node's private namespaces and then execs ``dockerd``.

It runs as ``ip netns exec NS unshare --uts --mount --propagation slave bash -c WRAPPER ...``:
in the node's network namespace, a new UTS namespace and a private mount namespace (``ip netns
exec`` already makes one; the second one is a guard should that ever change). It:

1. refuses to go on in the caller's (the host's) UTS or mount namespace, failing closed when a
   namespace cannot be read, then sets the hostname;
2. mounts the cgroup hierarchies again (``ip netns exec`` remounted ``/sys``, hiding
   ``/sys/fs/cgroup``; dockerd would die with "Devices cgroup isn't mounted"): cgroup v1,
   hybrid and pure cgroup2 layouts, as the caller sees them (or as ``/proc/1/mounts`` lists
   them). Bind mounts from ``/proc/1/root`` would fail: the source is another mount namespace;
3. bind-mounts the node's own ``/etc/docker`` (otherwise all engines share it) and hides any
   system containerd socket in ``/run/containerd`` (dockerd would use that containerd instead
   of starting its own, sharing it with the host) and the system D-Bus in ``/run/dbus`` (on a
   host running firewalld, dockerd would add its rules to the host's firewall through it);
4. execs the command (dockerd), keeping the PID.

The host namespaces are identified by the caller, not by ``/proc/1/ns``: PID 1 may not let
even root read its namespace links (it does not on the Firecracker VMs this was built on), and
an empty comparison must never pass.
"""

from __future__ import annotations

import os
from pathlib import Path

WRAPPER = r"""
set -eu
name=$1 etc=$2 host_uts=$3 host_mnt=$4 cgroups=$5
shift 6  # the five above and --
die() { echo "cnv-node: $*" >&2; exit 97; }
uts=$(readlink /proc/self/ns/uts || true)
mnt=$(readlink /proc/self/ns/mnt || true)
[ -n "$uts" ] && [ -n "$host_uts" ] && [ "$uts" != "$host_uts" ] ||
  die "refusing to set the hostname in the host's UTS namespace ($uts)"
[ -n "$mnt" ] && [ -n "$host_mnt" ] && [ "$mnt" != "$host_mnt" ] ||
  die "refusing to mount in the host's mount namespace ($mnt)"
hostname "$name"
cg=/sys/fs/cgroup
if [ -z "$cgroups" ]; then
  cgroups=$(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2, $3, $4}' /proc/1/mounts)
fi
if ! mountpoint -q "$cg"; then
  if ! printf '%s\n' "$cgroups" | grep -q "^$cg "; then
    mount -t tmpfs -o mode=755,nosuid,nodev,noexec cgroup "$cg"
  fi
  printf '%s\n' "$cgroups" | while read -r dir type opts; do
    case $dir in "$cg" | "$cg"/*) ;; *) continue ;; esac
    mkdir -p "$dir"
    mount -t "$type" -o "$opts" "$type" "$dir"
  done
fi
mountpoint -q "$cg" || die "no cgroup hierarchy to mount at $cg"
if [ -d /etc/docker ]; then mount --bind "$etc" /etc/docker; fi
if [ -d /run/containerd ]; then mount -t tmpfs -o mode=711 cnv-containerd /run/containerd; fi
if [ -d /run/dbus ]; then mount -t tmpfs -o mode=755 cnv-dbus /run/dbus; fi
exec "$@"
"""


def host_namespace(kind: str) -> str:
    """This process's namespace of ``kind`` (``uts``, ``mnt``), e.g. ``uts:[4026531838]``."""
    return os.readlink(f"/proc/self/ns/{kind}")


def cgroup_mounts() -> str:
    """``dir type options`` of every cgroup mount this process sees, one per line."""
    lines = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[2] in ("cgroup", "cgroup2"):
            lines.append(" ".join(fields[1:4]))
    return "\n".join(lines)


def wrapper_argv(hostname: str, etc_dir: str, command: list[str]) -> list[str]:
    """argv of bash running the wrapper, which sets things up and then execs ``command``."""
    return [
        "bash", "-c", WRAPPER, "cnv-node", hostname, etc_dir,
        host_namespace("uts"), host_namespace("mnt"), cgroup_mounts(), "--", *command,
    ]  # fmt: skip
