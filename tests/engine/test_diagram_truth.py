"""Diagrams are held to the engine: an incomplete run fails, and `draw` shows a real host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from macros.lab.lab import Lab
from macros.paths import DOCS_DIR, ROOT
from macros.runner.verify import verify_page
from macros.snippets.pages import load_page

BRIDGE = DOCS_DIR / "networks" / "bridge.md"


def test_a_page_missing_a_step_fails_its_topology_check(capabilities) -> None:
    # Stop before the default-bridge step (later steps use its containers); keep the teardown.
    steps = load_page(BRIDGE)
    cut = [s.name for s in steps].index("04-default-bridge")
    steps = steps[:cut] + [s for s in steps[cut:] if s.teardown]
    verification = verify_page(BRIDGE, capabilities, steps=steps)
    failure = verification.run.checkpoint_failure
    assert "topology 'bridge__bridge-more'" in failure
    assert "legacy1" in failure and "legacy2" in failure


def test_draw_shows_every_network_and_container_of_a_live_engine(tmp_path: Path) -> None:
    with Lab(nodes=1, prefix="cnvd") as lab:
        engine = lab.hosts["node1"].client()
        for name, subnet in (("front", "10.31.0.0/24"), ("back", "10.32.0.0/24")):
            ipam = {"Config": [{"Subnet": subnet}]}
            engine.api.create_network(name, driver="bridge", ipam=ipam)
        for name, networks in (("web", ["front"]), ("api", ["front", "back"]), ("db", ["back"])):
            container = engine.containers.create(
                "busybox", ["sleep", "600"], name=name, network=networks[0]
            )
            for extra in networks[1:]:
                engine.networks.get(extra).connect(container)
            container.start()
        output = tmp_path / "host.svg"
        result = subprocess.run(
            [sys.executable, "-m", "macros", "draw", "-o", str(output)],
            cwd=ROOT,
            env=os.environ | {"DOCKER_HOST": lab.hosts["node1"].docker_host},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    svg = output.read_text(encoding="utf-8")
    for name in ("front", "back", "web", "api", "db"):
        assert f">{name}</text>" in svg, name
    for subnet in ("10.31.0.0/24", "10.32.0.0/24"):
        assert subnet in svg, subnet
    assert 'href="/' not in svg and "file:" not in svg


def test_draw_without_an_engine_says_so() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "macros", "draw", "-o", "/dev/null"],
        cwd=ROOT,
        env=os.environ | {"DOCKER_HOST": "unix:///nonexistent.sock"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no Docker engine at unix:///nonexistent.sock (DOCKER_HOST)" in result.stderr
