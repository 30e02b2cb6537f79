#!/bin/sh
# PID 1 of a user-mode Linux guest (see macros/uml/__init__.py): the host's root is mounted
# read-only over hostfs; this script gives the guest writable tmpfs where the lab writes,
# mounts the run's scratch folder (the only host folder the guest may write), loads the
# kernel modules the pages need, and runs the agent. It always powers the guest off.
# Kernel command line -> environment: cnv_scratch (host path of the scratch folder),
# cnv_root (the project), cnv_python, cnv_modules (the modules' folder).
export CNV_TOOLS_FIRST=/run/cnv-bin PATH=/run/cnv-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1
poweroff() { sync; echo o >/proc/sysrq-trigger; sleep 10; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=755 run /run
mkdir -p /run/cnv-scratch /run/cnv-bin /run/cnv-modules/lib/modules
mount -t hostfs -o "$cnv_scratch" scratch /run/cnv-scratch || poweroff
exec >>/run/cnv-scratch/console.log 2>&1
CNV_INIT_AT=$(cut -d" " -f1 /proc/uptime) && export CNV_INIT_AT
echo "cnv-guest: init at $CNV_INIT_AT"
for dir in /tmp /var/lib/cnv-lab /var/lib/docker /etc/docker; do
  [ -d "$dir" ] && mount -t tmpfs -o mode=755 tmp "$dir"
  case "$cnv_root/" in  # a checkout under one of them (/tmp/x) stays visible, read-only
    "$dir"/*) mkdir -p "$cnv_root" && mount -r -t hostfs -o "$cnv_root" project "$cnv_root" ;;
  esac
done
chmod 1777 /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mountpoint -q /dev || mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
for tool in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -s "/usr/sbin/${tool%%-*}-legacy${tool#"${tool%%-*}"}" "/run/cnv-bin/$tool"
done
ln -s "$cnv_modules" "/run/cnv-modules/lib/modules/$(uname -r)"
printf '#!/bin/sh\nexec /sbin/modprobe -d /run/cnv-modules "$@"\n' >/run/cnv-bin/modprobe
chmod 755 /run/cnv-bin/modprobe
echo /run/cnv-bin/modprobe >/proc/sys/kernel/modprobe
ip link set lo up
# New network namespaces copy IPv4 settings from this one. On a Docker host it forwards
# (dockerd turns it on), and swarm's load-balancer sandboxes rely on that: without it their
# IPVS replies are dropped. This namespace has no link but lo, so nothing can leave.
sysctl -qw net.ipv4.ip_forward=1
hostname cnv-guest
grep -m1 "model name\|vendor" /proc/cpuinfo; uname -a
echo "cnv-guest: mounts done at $(cut -d' ' -f1 /proc/uptime)"
/run/cnv-bin/modprobe -a $cnv_load
echo "cnv-guest: modules loaded at $(cut -d' ' -f1 /proc/uptime)"
cd "$cnv_root" && "$cnv_python" -m macros.uml.agent /run/cnv-scratch
echo "cnv-guest: agent exited $? at $(cut -d' ' -f1 /proc/uptime)"
poweroff
