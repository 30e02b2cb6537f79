"""A DNS server that answers NXDOMAIN to every query, on UDP and TCP port 53.

The lab's engines use it as their only upstream (``--dns``), so a lookup of a name Docker does
not know fails at once instead of timing out, and no query ever leaves the machine.

    python -m macros.lab.dns_sink ADDR [--port 53] [--lab NAME]

``--lab`` only labels the process so the lab's cleanup can find it. Prints ``ready`` once
both sockets are bound.
"""

from __future__ import annotations

import argparse
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


def answer(query: bytes) -> bytes | None:
    """The reply to ``query``: NXDOMAIN echoing its question (FORMERR if unreadable)."""
    if len(query) < 12:
        return None
    ident, flags, qdcount = struct.unpack("!HHH", query[:6])
    if flags & 0x8000:
        return None  # a response, not a query
    end = question_end(query) if qdcount == 1 else 0
    opcode_rd = flags & 0x7900  # opcode and RD, copied back
    rcode = NXDOMAIN if end else FORMERR
    header = struct.pack(
        "!HHHHHH", ident, 0x8000 | opcode_rd | 0x0080 | rcode, 1 if end else 0, 0, 0, 0
    )
    return header + query[12:end]


def serve_udp(sock: socket.socket) -> None:
    while True:
        try:
            query, peer = sock.recvfrom(4096)
        except OSError:
            continue
        reply = answer(query)
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


def serve_tcp_client(conn: socket.socket) -> None:
    """Answer length-prefixed queries on one connection until it closes or idles."""
    conn.settimeout(TCP_IDLE)
    with conn:
        try:
            while True:
                head = _recv_exact(conn, 2)
                if not head:
                    return
                reply = answer(_recv_exact(conn, struct.unpack("!H", head)[0]))
                if not reply:
                    return
                conn.sendall(struct.pack("!H", len(reply)) + reply)
        except OSError:
            return


def serve_tcp(sock: socket.socket) -> None:
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            continue
        threading.Thread(target=serve_tcp_client, args=(conn,), daemon=True).start()


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.lab.dns_sink", description=__doc__)
    parser.add_argument("address")
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--lab", default="", help="label for cleanup (not used otherwise)")
    args = parser.parse_args(argv)
    udp, tcp = bind(args.address, args.port)
    threading.Thread(target=serve_tcp, args=(tcp,), daemon=True).start()
    print("ready", flush=True)
    serve_udp(udp)
    return 0


def spawn(
    netns: str, address: str, label: str, log: Path, timeout: float = 10.0
) -> subprocess.Popen:
    """Start the sink inside ``netns`` and wait (bounded) until it says ``ready``."""
    package_root = Path(__file__).resolve().parents[2]
    argv = ["ip", "netns", "exec", netns, sys.executable, "-m", "macros.lab.dns_sink", address]
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
