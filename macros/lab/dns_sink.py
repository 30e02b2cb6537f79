"""A DNS server that answers NXDOMAIN to every query, on UDP and TCP port 53, except for the
few private names it is given.

The lab's engines use it as their only upstream (``--dns``), so a lookup of a name Docker does
not know fails at once instead of timing out, and no query ever leaves the machine. It answers
``A``/``AAAA`` queries for the names given with ``--record NAME=ADDR`` (the lab gives its hosts'
names under ``lab.internal``), and for the ``--whoami`` name with the address the query came
from, which shows who asked: a container, or the Docker host on its behalf.

    python -m macros.lab.dns_sink ADDR [--port 53] [--lab NAME] [--record NAME=ADDR ...]
                                       [--whoami NAME]

``--lab`` only labels the process so the lab's cleanup can find it. Prints ``ready`` once
both sockets are bound.
"""

from __future__ import annotations

import argparse
import ipaddress
import select
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

NXDOMAIN = 3
FORMERR = 1
TCP_IDLE = 5.0
TTL = 60
RECORD_TYPES = {1: 4, 28: 6}
"""DNS record type (A, AAAA) -> the IP version of its addresses."""
READY_TIMEOUT = 10.0
"""How long ``spawn`` waits for the sink to say ``ready`` (a lab multiplies it by its
patience: six in a user-mode guest)."""


class Zone:
    """The names the sink answers: fixed records, and one name that answers with the asker."""

    def __init__(self, records: dict[str, list[str]] | None = None, whoami: str = "") -> None:
        self.records = {name.lower().rstrip("."): addrs for name, addrs in (records or {}).items()}
        self.whoami = whoami.lower().rstrip(".")

    def lookup(self, name: str, peer: str) -> list[str] | None:
        """The addresses of ``name`` (``None``: no such name) for a query from ``peer``."""
        if self.whoami and name == self.whoami:
            return [peer.removeprefix("::ffff:")] if peer else []
        return self.records.get(name)


NO_NAMES = Zone()


def question(query: bytes, end: int) -> tuple[str, int]:
    """The first question's name (lower case, no trailing dot) and record type."""
    labels, offset = [], 12
    while query[offset]:
        labels.append(query[offset + 1 : offset + 1 + query[offset]].decode("ascii", "replace"))
        offset += 1 + query[offset]
    return ".".join(labels).lower(), struct.unpack("!H", query[end - 4 : end - 2])[0]


def records_for(addresses: list[str], qtype: int) -> list[bytes]:
    """Answer records (name compressed to the question's) for the addresses of type ``qtype``."""
    version = RECORD_TYPES.get(qtype)
    packed = [ipaddress.ip_address(a).packed for a in addresses]
    return [
        struct.pack("!HHHIH", 0xC00C, qtype, 1, TTL, len(data)) + data
        for data in packed
        if version and len(data) == (4 if version == 4 else 16)
    ]


def question_end(query: bytes) -> int:
    """Offset just past the first question (name, type, class); 0 if it is malformed."""
    offset = 12
    while offset < len(query):
        length = query[offset]
        if length == 0:
            end = offset + 1 + 4
            return end if end <= len(query) else 0
        if length & 0xC0:
            return 0
        offset += 1 + length
    return 0


def answer(query: bytes, zone: Zone = NO_NAMES, peer: str = "") -> bytes | None:
    """The reply to ``query`` from ``peer``: the zone's records for a name it knows (none for
    a record type it lacks), else NXDOMAIN echoing the question (FORMERR if unreadable)."""
    if len(query) < 12:
        return None
    ident, flags, qdcount = struct.unpack("!HHH", query[:6])
    if flags & 0x8000:
        return None  # a response, not a query
    end = question_end(query) if qdcount == 1 else 0
    opcode_rd = flags & 0x7900  # opcode and RD, copied back
    answers: list[bytes] = []
    rcode = FORMERR
    if end:
        name, qtype = question(query, end)
        found = zone.lookup(name, peer)
        rcode = NXDOMAIN if found is None else 0
        answers = records_for(found or [], qtype)
    header = struct.pack(
        "!HHHHHH", ident, 0x8000 | opcode_rd | 0x0080 | rcode, 1 if end else 0, len(answers), 0, 0
    )
    return header + query[12:end] + b"".join(answers)


def serve_udp(sock: socket.socket, zone: Zone = NO_NAMES) -> None:
    while True:
        try:
            query, peer = sock.recvfrom(4096)
        except OSError:
            continue
        reply = answer(query, zone, peer[0])
        if reply:
            sock.sendto(reply, peer)


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return b""
        data += chunk
    return data


def serve_tcp_client(conn: socket.socket, zone: Zone = NO_NAMES) -> None:
    """Answer length-prefixed queries on one connection until it closes or idles."""
    conn.settimeout(TCP_IDLE)
    peer = conn.getpeername()[0]
    with conn:
        try:
            while True:
                head = _recv_exact(conn, 2)
                if not head:
                    return
                reply = answer(_recv_exact(conn, struct.unpack("!H", head)[0]), zone, peer)
                if not reply:
                    return
                conn.sendall(struct.pack("!H", len(reply)) + reply)
        except OSError:
            return


def serve_tcp(sock: socket.socket, zone: Zone = NO_NAMES) -> None:
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            continue
        threading.Thread(target=serve_tcp_client, args=(conn, zone), daemon=True).start()


def bind(address: str, port: int) -> tuple[socket.socket, socket.socket]:
    """The UDP and the listening TCP socket on ``address:port``."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    udp = socket.socket(family, socket.SOCK_DGRAM)
    udp.bind((address, port))
    tcp = socket.socket(family, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((address, port))
    tcp.listen(64)
    return udp, tcp


def record(text: str) -> tuple[str, str]:
    """``NAME=ADDR`` from the command line, the address checked."""
    name, _, address = text.partition("=")
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=ADDR, got {text!r}") from None
    return name, address


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.lab.dns_sink", description=__doc__)
    parser.add_argument("address")
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--lab", default="", help="label for cleanup (not used otherwise)")
    parser.add_argument(
        "--record", action="append", default=[], type=record, help="NAME=ADDR (repeatable)"
    )
    parser.add_argument("--whoami", default="", help="a name answered with the asker's address")
    args = parser.parse_args(argv)
    records: dict[str, list[str]] = {}
    for name, address in args.record:
        records.setdefault(name, []).append(address)
    zone = Zone(records, args.whoami)
    udp, tcp = bind(args.address, args.port)
    threading.Thread(target=serve_tcp, args=(tcp, zone), daemon=True).start()
    print("ready", flush=True)
    serve_udp(udp, zone)
    return 0


def spawn(
    netns: str,
    address: str,
    label: str,
    log: Path,
    timeout: float = READY_TIMEOUT,
    names: tuple[str, ...] = (),
) -> subprocess.Popen:
    """Start the sink inside ``netns`` and wait (bounded) until it says ``ready``; ``names``
    are extra arguments (``--record``, ``--whoami``)."""
    package_root = Path(__file__).resolve().parents[2]
    argv = ["ip", "netns", "exec", netns, sys.executable, "-m", "macros.lab.dns_sink", address]
    argv += names
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as errors:
        sink = subprocess.Popen(
            [*argv, "--lab", label],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=package_root,
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "PYTHONPATH": str(package_root)},
            start_new_session=True,
        )
    assert sink.stdout is not None
    ready, _, _ = select.select([sink.stdout], [], [], timeout)
    line = sink.stdout.readline() if ready else b""
    sink.stdout.close()
    if line.strip() != b"ready":
        sink.kill()
        sink.wait(2)
        errors = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"the DNS sink did not start in {netns} within {timeout:g}s:\n{errors}")
    return sink


if __name__ == "__main__":
    sys.exit(main())
