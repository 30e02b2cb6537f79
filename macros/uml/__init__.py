"""The user-mode kernel lane: a page's whole lab runs inside a User-mode Linux guest.

User-mode Linux (Debian's ``user-mode-linux``, Linux 6.1) is a real kernel that runs as an
ordinary process, with the modules this machine's kernel may lack (IPVS, ESP, 802.1Q, ipvlan,
dummy). The split:

- host (``guest.py``): makes a scratch folder ``/var/lib/cnv-lab/<lab>.uml`` (the only host
  folder the guest may write), writes the job into it, boots ``linux.uml`` with the host's
  root mounted read-only over hostfs and ``guest-init.sh`` as PID 1, waits (bounded) and reads
  the result back; the UML process tree is ended by PID, and a state file lets the lab's stale
  cleanup end a dead run's guest.
- guest (``guest-init.sh``, then ``agent.py``): tmpfs where the lab writes, legacy iptables,
  modules from the package's folder, then the project's own Python from the read-only work
  tree runs the job: the same ``Lab`` and page runner as on the host.

The guest has no network device to the outside: its only links are the lab's own.
"""
