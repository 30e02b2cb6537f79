"""The lab's parts on their own: names, the DNS sink, the wrapper's refusals (no engine)."""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import threading
from pathlib import Path

import pytest

from macros.lab import dns_sink
from macros.lab.lab import SET_HOSTNAME
from macros.lab.names import MAX_NODES, LabNames, check_prefix
from macros.lab.wrapper import host_namespace, wrapper_argv


def query(name: str, ident: int = 0x1234, qtype: int = 1) -> bytes:
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + labels + struct.pack("!HH", qtype, 1)


def test_link_names_fit_the_kernel_limit() -> None:
    names = LabNames("abcd", "0123ab")
    hosts = [f"node{i}" for i in range(1, MAX_NODES + 1)] + ["client"]
    assert all(len(names.switch_port(h)) <= 15 for h in hosts)
    assert len(names.bridge) <= 15
    with pytest.raises(ValueError):
        check_prefix("toolong")


def test_sink_answers_nxdomain_echoing_the_question() -> None:
    asked = query("nothing.example")
    reply = dns_sink.answer(asked)
    assert reply is not None
    ident, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", reply[:12])
    assert (ident, flags & 0x8000, flags & 0xF, qd, an, ns, ar) == (0x1234, 0x8000, 3, 1, 0, 0, 0)
    assert flags & 0x0100, "RD is copied"
    assert reply[12:] == asked[12:]
    assert dns_sink.answer(b"\0" * 5) is None
    assert dns_sink.answer(reply) is None, "responses are not answered"


def test_sink_answers_its_private_names_and_who_asked() -> None:
    zone = dns_sink.Zone({"client.lab.internal": ["10.99.0.100", "fd00:99::100"]}, "whoami.lab")
    a_reply = dns_sink.answer(query("Client.Lab.Internal"), zone, "10.99.0.1")
    aaaa_reply = dns_sink.answer(query("client.lab.internal", qtype=28), zone)
    assert a_reply is not None and aaaa_reply is not None
    assert struct.unpack("!HH", a_reply[6:10]) == (1, 0) and a_reply[3] & 0xF == 0
    assert a_reply.endswith(bytes([0, 4, 10, 99, 0, 100]))
    assert aaaa_reply.endswith(b"\0\x10" + bytes.fromhex("fd000099" + "0" * 20 + "0100"))
    whoami = dns_sink.answer(query("whoami.lab"), zone, "::ffff:10.99.0.1")
    assert whoami is not None and whoami.endswith(bytes([0, 4, 10, 99, 0, 1]))
    nodata = dns_sink.answer(query("whoami.lab", qtype=28), zone, "10.99.0.1")
    assert nodata is not None and nodata[3] & 0xF == 0 and nodata[6:8] == b"\0\0"
    other = dns_sink.answer(query("db.lab.internal"), zone, "10.99.0.1")
    assert other is not None and other[3] & 0xF == 3


def test_sink_serves_udp_and_tcp_on_loopback() -> None:
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    port = udp.getsockname()[1]
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", port))
    tcp.listen(8)
    for serve, sock in ((dns_sink.serve_udp, udp), (dns_sink.serve_tcp, tcp)):
        threading.Thread(target=serve, args=(sock,), daemon=True).start()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.settimeout(2)
        client.sendto(query("a.example", 7), ("127.0.0.1", port))
        assert struct.unpack("!HH", client.recv(512)[:4]) == (7, 0x8183)
    with socket.create_connection(("127.0.0.1", port), timeout=2) as client:
        asked = query("b.example", 8)
        client.sendall(struct.pack("!H", len(asked)) + asked)
        size = struct.unpack("!H", client.recv(2))[0]
        assert struct.unpack("!HH", client.recv(size)[:4]) == (8, 0x8183)


SIDE_EFFECTS = ("hostname", "mount", "mountpoint", "mkdir")


@pytest.mark.skipif(os.geteuid() != 0, reason="unshare needs root")
@pytest.mark.parametrize(
    ("unshare", "message"),
    [(["--mount"], "host's UTS namespace"), (["--uts"], "host's mount namespace")],
)
def test_wrapper_refuses_the_host_namespaces(
    tmp_path: Path, unshare: list[str], message: str
) -> None:
    """Every command with a side effect is a fake here, so even a broken check changes nothing
    on the host: a real run of a broken check would mount over /etc/docker or rename the host."""
    for command in SIDE_EFFECTS:
        fake = tmp_path / command
        fake.write_text(f"#!/bin/sh\necho {command} >> {tmp_path}/called\nexit 1\n")
        fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/sbin:/usr/bin:/sbin:/bin"}
    argv = ["unshare", *unshare, *wrapper_argv("nodeX", str(tmp_path), ["true"])]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=10, env=env)
    assert done.returncode == 97, done.stderr
    assert message in done.stderr
    assert not (tmp_path / "called").exists(), (tmp_path / "called").read_text()


def test_lab_shell_refuses_the_host_uts_namespace(tmp_path: Path) -> None:
    """Same guard for the shells ``LabHost.shell_argv`` starts; ``hostname`` is a fake here."""
    fake = tmp_path / "hostname"
    fake.write_text(f"#!/bin/sh\ntouch {tmp_path}/called\n")
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/sbin:/usr/bin:/sbin:/bin"}
    argv = ["sh", "-c", SET_HOSTNAME, "sh", "nodeX", host_namespace("uts"), "true"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=10, env=env)
    assert done.returncode == 97, done.stderr
    assert not (tmp_path / "called").exists()
